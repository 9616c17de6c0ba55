"""The stored data ⇄ the solver's domain: the scenario of a horizon, the published version a change
lives in, the worked past, roster rows, and the solver's vocabulary as API schemas."""
