-- Instructor-only: the student's priority(loads, reading) and target_imbalance(threshold,
-- hosts, reading) on clusters the public checks do not use, judged by what the engine's
-- DRS computes for each. Never shipped to students.
local shared = ...
local answer = lab.submission("answer.lua")

-- New clusters (names "h-…"), loads measured from running guests before their first pass.
local shapes = {
  -- six hosts, uneven: reading A
  { layout = { { { 4, 0.95 } }, { { 4, 0.3 } }, { { 2, 0.5 } }, { { 4, 0.6 } }, { { 4, 0.45 } }, { { 1, 0.8 } } },
    reading = "A" },
  -- a balanced pair: no recommendation
  { layout = { { { 2, 0.5 } }, { { 2, 0.5 } } }, reading = "A" },
  -- three hosts, reading B, a large imbalance
  { layout = { { { 4, 1.0 } }, { { 1, 0.2 } }, { { 2, 0.3 } } }, reading = "B" },
  -- eight hosts, reading A, small differences
  { layout = { { { 4, 0.5 } }, { { 4, 0.55 } }, { { 4, 0.45 } }, { { 4, 0.5 } }, { { 4, 0.6 } }, { { 4, 0.4 } },
               { { 4, 0.5 } }, { { 4, 0.5 } } }, reading = "A" },
}
for i, s in ipairs(shapes) do
  s.cluster, s.hosts = shared.cluster(s.layout, { reading = s.reading }, "h-p" .. i)
end
lab.run_for("1 min")
for _, s in ipairs(shapes) do
  s.loads = {}
  for i, h in ipairs(s.hosts) do s.loads[i] = s.cluster.drs:load(h).cpu end
  s.priority = s.cluster.drs.priority
end

check("priority() on other clusters", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "priority() gave a wrong priority for a cluster the public checks do not use (more hosts, another reading,"
    .. " or a balanced cluster)." }, function()
  lab.answer(answer, "priority", "function")
  local right = shared.priority_cases(answer.priority, shapes)
  partial(right / #shapes)
  expect(right, "unseen clusters answered right", "count"):to_equal(#shapes)
end)

local targets = { shared.target_case(5, 4, "B", "h-t1"), shared.target_case(8, 5, "A", "h-t2"),
                  shared.target_case(6, 2, "A", "h-t3"), shared.target_case(2, 1, "B", "h-t4"),
                  shared.target_case(48, 3, "A", "h-t5"), shared.target_case(32, 4, "B", "h-t6") }

check("target_imbalance() on other clusters", { number = "H2", points = 1, visibility = "after_due_date",
  hide_errors = "target_imbalance() was wrong for a threshold, host count or reading the public checks do not use." },
  function()
  lab.answer(answer, "target_imbalance", "function")
  local right = shared.target_cases(answer.target_imbalance, targets)
  partial(right / #targets)
  expect(right, "unseen cases answered right", "count"):to_equal(#targets)
end)
