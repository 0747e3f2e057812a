-- lab.run_until with a C function as predicate and a 1 ns step: the step is refused; with
-- a 1 µs step the loop polls the wall-time limit at every step (no count hook sees C).
return { value = 42, f = function()
  pcall(lab.run_until, coroutine.isyieldable, "1000 h", 1e-9)
  lab.run_until(coroutine.isyieldable, "1000 h", 1e-6)
  return 42
end }
