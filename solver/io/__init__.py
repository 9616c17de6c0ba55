"""Documents ⇄ domain: the scenario format v1 (docs/scenario-format.md) and the roster document.

- `values`: the value types of the format (dates, times, zones, ids) as annotated pydantic types;
- `documents`: the pydantic document models of a scenario, the source of its JSON Schema;
- `references`: the checks that span objects (ids, references, coverage overlaps, pins);
- `load`: reading and parsing a document into a domain `Scenario`, every error at once;
- `write`: the domain back into a document;
- `roster`: the roster document (output of `roster solve`, input of `roster check`);
- `errors`: `FormatError` and `InvalidDocument`, naming the field path of each problem.
"""
