"""One module per chapter: the exercises (q1, q2, …) whose check() inspects the engine."""
