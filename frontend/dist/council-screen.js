// The room's screen: the session's state from server-sent events (one `state` event with
// the whole view after every change). The page shows the state at loading without it.
(function () {
  const root = document.getElementById('council-screen');
  if (!root || !window.EventSource) return;
  const set = (sel, text) => { const el = root.querySelector(sel); if (el) el.textContent = text; };
  const choice = { for: 'za', against: 'przeciw', abstain: 'wstrzymał(a) się' };
  function show(s) {
    set('[data-title]', s.title);
    set('[data-present]', `Obecnych: ${s.present_count} z ${s.statutory}`);
    set('[data-quorum]', s.has_quorum ? 'kworum jest' : `brak kworum (potrzeba ${s.quorum})`);
    const v = s.current;
    set('[data-vote-title]', v ? `Głosowanie${v.secret ? ' tajne' : ''}: ${v.item_title}` : 'Brak trwającego głosowania');
    set('[data-vote-detail]', v ? `${v.majority_label}. Głosy oddane: ${v.cast} z ${v.present}.` : '');
    const closed = s.items.flatMap((i) => i.votes).filter((x) => x.status === 'closed')
      .sort((a, b) => (a.closed_at < b.closed_at ? -1 : 1));
    const last = closed[closed.length - 1];
    if (!last) return;
    set('[data-last]', `${last.item_title}: ${last.adopted ? 'PRZYJĘTO' : 'NIE PRZYJĘTO'}. Za ${last.votes_for}, przeciw ${last.votes_against}, wstrzymało się ${last.votes_abstain}.${last.secret ? ' Głosowanie tajne: bez imiennego wykazu.' : ''}`);
    const body = root.querySelector('[data-named]');
    body.replaceChildren(...last.named.map((n) => {
      const tr = document.createElement('tr');
      tr.className = 'govuk-table__row';
      for (const text of [n.name, choice[n.choice] || n.choice]) {
        const td = document.createElement('td');
        td.className = 'govuk-table__cell';
        td.textContent = text;
        tr.appendChild(td);
      }
      return tr;
    }));
  }
  // the browser reconnects by itself after a dropped stream; a refused one (a node above
  // capacity answers 503) is tried again after a few seconds
  function connect() {
    const source = new EventSource(root.dataset.live);
    source.addEventListener('state', (e) => show(JSON.parse(e.data)));
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 3000 + Math.random() * 2000);
    });
  }
  connect();
})();
