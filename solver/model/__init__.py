"""CP-SAT models of a scenario.

Both models speak the same small vocabulary (`base.RosterModel`), so every rule in `solver.rules`
is written once:

- `work(officer, time)`: the officer has a duty of that shift type starting that date;
- `staffing(slot)` / `skilled(slot, skill)`: how many officers (with the skill) staff a slot;
- `placement(officer, slot)`: the officer staffs that very slot (None where the model does not
  place officers at posts).

`PostModel` has one Boolean per officer and slot: exact for every objective term. `ShiftModel`
decides only who works when, and how many officers of each *kind* (same skills, same units
served, so interchangeable) staff each slot; it is far smaller, exact for every hard rule and for
shortfall, requests and fairness, and a relaxation for continuity (0) and changes (a baseline duty
counts as kept when its officer works that shift). Its bound is therefore a lower bound of the real
objective, and `solver.solve` places its officers at posts afterwards with a `PostModel` whose
working times are fixed.

The models hold decisions and helpers only; `solver.rules.build` adds the rules and the objective.
"""
