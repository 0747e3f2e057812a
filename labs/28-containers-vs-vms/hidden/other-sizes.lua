-- Instructor-only: the same questions on machines, instance counts and sizes the public
-- checks do not use, so copying the public results does not pass them.
local shared = ...

check("start-up with other counts and cores", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "ready_time gave the wrong time until all instances serve for counts or core numbers the public "
      .. "checks do not use." }, function()
  local cases = { { "ready", "microvm", 1000, 16, 2^27 }, { "ready", "microvm", 7, 2, 2^27 },
                  { "ready", "container", 50, 2, 2^25 }, { "ready", "vm", 40, 16, 2^31 } }
  local right = shared.score(cases, false, "h-")
  partial(right / #cases)
  expect(right, "unseen start-up cases answered right", "count"):to_equal(#cases)
end)

check("memory and density for other sizes", { number = "H2", points = 3, visibility = "after_due_date",
  hide_errors = "per_instance or density gave a wrong value for service sizes, guest sizes or machines the public "
      .. "checks do not use." }, function()
  local MiB, GiB = 2^20, 2^30
  local cases = { { "cost", "container", 30 * MiB }, { "cost", "microvm", 512 * MiB }, { "cost", "vm", 4 * GiB },
                  { "fit", "container", 30 * MiB, 4 * GiB }, { "fit", "microvm", 512 * MiB, 24 * GiB },
                  { "fit", "vm", 4 * GiB, 48 * GiB }, { "fit", "vm", 512 * MiB, 6 * GiB } }
  local right = shared.score(cases, false, "h-")
  partial(right / #cases)
  expect(right, "unseen memory cases answered right", "count"):to_equal(#cases)
end)
