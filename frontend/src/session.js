// The idle-timeout warning: shown `warn` seconds before the session ends; "Stay logged in"
// asks the server to move the idle expiry on. Pages work without it; it only warns.
(function () {
  const box = document.getElementById('okienko-session');
  if (!box) return;
  const warn = Number(box.dataset.warnSecs) || 120;
  let timers = [];
  function schedule(idle) {
    timers.forEach(clearTimeout);
    box.hidden = true;
    box.querySelector('[data-warning]').hidden = false;
    box.querySelector('[data-extend]').hidden = false;
    box.querySelector('[data-ended]').hidden = true;
    timers = [
      setTimeout(() => { box.hidden = false; }, Math.max(0, idle - warn) * 1000),
      setTimeout(() => {
        box.querySelector('[data-warning]').hidden = true;
        box.querySelector('[data-extend]').hidden = true;
        box.querySelector('[data-ended]').hidden = false;
      }, Math.max(0, idle) * 1000),
    ];
  }
  box.querySelector('[data-extend]').addEventListener('click', async () => {
    const r = await fetch('/auth/refresh', { method: 'POST', credentials: 'same-origin' });
    if (r.ok) schedule((await r.json()).idle_secs);
  });
  schedule(Number(box.dataset.idleSecs) || 0);
})();
