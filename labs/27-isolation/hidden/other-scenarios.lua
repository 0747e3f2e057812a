-- Instructor-only: scenarios and neighbours the public checks do not use, so copying the
-- public results does not pass them.
local shared = ...

check("other fault and exploit scenarios", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "impact gave wrong counts for layouts or events the public checks do not use." }, function()
  local cases = {
    { place = "node", per = 3, event = "exploit" },
    { place = "vm", vms = 2, per = 5, event = "panic" },
    { place = "vm", vms = 5, per = 2, event = "crash" },
    { place = "vm", vms = 2, per = 2, event = "exploit", hypervisor_bug = true },
    { place = "vm", vms = 6, per = 1, event = "exploit" },
  }
  local right = shared.score_impact(cases, false)
  partial(right / #cases)
  expect(right, "unseen scenarios answered right", "count"):to_equal(#cases)
end)

check("other neighbours", { number = "H2", points = 2, visibility = "after_due_date",
  hide_errors = "victim_cpus gave the wrong CPU for node sizes, threads or limits the public checks do not use." }, function()
  local cases = { { 16, 16, 32, 4 }, { 2, 1, 8, nil }, { 6, 6, 6, 2.5 } }
  local right = shared.score_noisy(cases, false)
  partial(right / #cases)
  expect(right, "unseen neighbour cases answered right", "count"):to_equal(#cases)
end)

local MiB = lab.bytes("1 MiB")

check("other disk neighbours", { number = "H3", points = 2, visibility = "after_due_date",
  hide_errors = "victim_disk gave the wrong rate for bandwidths, weights, limits or layouts the public checks do not use." },
function()
  local cases = {
    { bandwidth = 120 * MiB, nodes = 1, victim = 100 * MiB, noisy = 200 * MiB, weight = 500 },
    { bandwidth = 400 * MiB, nodes = 2, victim = 300 * MiB, noisy = 300 * MiB, weight = 50, limit = 100 * MiB },
    { bandwidth = 250 * MiB, nodes = 1, victim = 40 * MiB, noisy = 500 * MiB, weight = 1000 },
    { bandwidth = 100 * MiB, nodes = 2, victim = 100 * MiB, noisy = 100 * MiB, weight = 2000 },
  }
  local right = shared.score_disk(cases, false)
  partial(right / #cases)
  expect(right, "unseen disk cases answered right", "count"):to_equal(#cases)
end)
