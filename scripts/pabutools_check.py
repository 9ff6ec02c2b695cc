"""Compares `okienko budget tally` with pabutools, the researchers' reference implementation
of participatory-budgeting rules, on real pabulib files and random pools; exits 1 on any
difference in winners or in the amount spent. Run by scripts/pabutools-check.

pabutools' side, for each rule okienko offers (ties broken by project id on both sides, as
pabutools' default lexico_tie_breaking):
  greedy           greedy_utilitarian_welfare(sat_class=Cost_Sat), by votes
  mes cost         completion_by_rule_combination([method_of_equal_shares,
  mes cardinality    greedy_utilitarian_welfare], [{sat_class: Cost_Sat | Cardinality_Sat,
                     voter_budget_increment: 1}, {sat_class: Cost_Sat}])
One documented difference is taken out before comparing: okienko never funds a project
nobody voted for, while pabutools' greedy funds one with the money left; such projects are
removed from pabutools' instance (they come last in its greedy order and take part in
nothing else, so removing them changes nothing but them).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

from pabutools.election import Cardinality_Sat, Cost_Sat, Instance, parse_pabulib
from pabutools.rules import (
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

RULES = {
    "greedy": ["--rule", "greedy"],
    "mes-cost": ["--rule", "mes", "--sat", "cost"],
    "mes-cardinality": ["--rule", "mes", "--sat", "cardinality"],
}


def pabutools(path, rule):
    instance, profile = parse_pabulib(path)
    voted = Instance(
        [p for p in instance if profile.approval_score(p) > 0],
        budget_limit=instance.budget_limit,
    )
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(voted, profile, sat_class=Cost_Sat)
    else:
        sat = Cost_Sat if rule == "mes-cost" else Cardinality_Sat
        outcome = completion_by_rule_combination(
            voted,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [
                {"sat_class": sat, "voter_budget_increment": 1},
                {"sat_class": Cost_Sat},
            ],
        )
    return sorted(p.name for p in outcome), Fraction(sum(p.cost for p in outcome))


def okienko(binary, path, rule):
    run = subprocess.run(
        [binary, "budget", "tally", path, *RULES[rule], "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"{path}: okienko failed: {run.stderr.strip()}")
    out = json.loads(run.stdout, parse_float=Fraction, parse_int=Fraction)
    return sorted(out["winners"]), out["spent"]


def random_pool(rng, path):
    """A small pool made for ties: few distinct costs, ids compared as text ("10" < "2"),
    now and then costs with grosze, a project that costs nothing, empty ballots. Amounts are
    small: the completion raises each voter's budget by 1 at a time, and pabutools takes a
    while over each raise (the real files have real amounts)."""
    count = rng.randint(1, 12)
    ids = rng.sample(range(1, 40), count)
    grosze = rng.random() < 0.15
    costs = []
    for _ in ids:
        cost = Fraction(rng.choice([0, 5, 10, 10, 20, 25, 40, 50, 60, 100]))
        if grosze and cost and rng.random() < 0.5:
            cost += Fraction(rng.randint(1, 99), 100)
        costs.append(cost)
    voters = rng.randint(0, 40)
    liking = [rng.choice([0.1, 0.3, 0.5, 0.8]) for _ in ids]
    ballots = [[i for i, like in zip(ids, liking) if rng.random() < like] for _ in range(voters)]
    total = sum(costs)
    budget = Fraction(rng.randint(0, int(total) + 1))
    if grosze:
        budget += Fraction(rng.randint(0, 99), 100)

    def amount(a):
        return str(a.numerator) if a.denominator == 1 else f"{float(a):.2f}"

    with open(path, "w", encoding="utf-8") as f:
        f.write("META\nkey;value\ndescription;random pool\n")
        f.write(f"num_projects;{count}\nnum_votes;{voters}\n")
        f.write(f"budget;{amount(budget)}\nvote_type;approval\n")
        f.write("PROJECTS\nproject_id;cost;name\n")
        for i, c in zip(ids, costs):
            f.write(f"{i};{amount(c)};\"projekt {i}; opis\"\n")
        f.write("VOTES\nvoter_id;vote\n")
        for v, b in enumerate(ballots, 1):
            f.write(f"{v};{','.join(map(str, b))}\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--random", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    started = time.time()
    failures = 0
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        rng = random.Random(args.seed)
        pools = list(args.files)
        for n in range(args.random):
            path = os.path.join(tmp, f"random-{args.seed}-{n}.pb")
            random_pool(rng, path)
            pools.append(path)
        for path in pools:
            for rule in RULES:
                ours = okienko(args.bin, path, rule)
                theirs = pabutools(path, rule)
                checked += 1
                if ours != theirs:
                    failures += 1
                    kept = os.path.join(tempfile.gettempdir(), os.path.basename(path))
                    if path.startswith(tmp):
                        with open(path, encoding="utf-8") as f, open(kept, "w", encoding="utf-8") as out:
                            out.write(f.read())
                    print(f"DIFFERENT {rule} {kept if path.startswith(tmp) else path}")
                    print(f"  okienko:   {ours[0]} spent {ours[1]}")
                    print(f"  pabutools: {theirs[0]} spent {theirs[1]}")
    real = len(args.files)
    print(
        f"pabutools check: {checked} tallies ({real} real files, {args.random} random pools, "
        f"3 rules), {failures} different, {time.time() - started:.1f} s"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
