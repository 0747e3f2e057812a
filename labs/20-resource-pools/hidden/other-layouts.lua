-- Instructor-only: the same questions on clusters, VM counts and reservations the public
-- checks do not use, so copying the public results does not pass them.
local shared = ...

check("the paradox on other clusters", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "per_vm gave wrong entitlements for cluster sizes and VM counts the public checks do not use." }, function()
  local cases = { { 6, 12, 3 }, { 3, 30, 1 }, { 10, 25, 6 } }
  local right = shared.score_per_vm(cases, false)
  partial(right / #cases)
  expect(right, "unseen layouts answered right", "count"):to_equal(#cases)
end)

check("admission with other reservations", { number = "H2", points = 2, visibility = "after_due_date",
  hide_errors = "admits gave the wrong verdict for reservations the public checks do not use." }, function()
  local cases = { { 8000, 2000, 3000, true, 3000, 3000 }, { 8000, 2000, 3000, true, 3000, 3001 },
                  { 5000, 0, 1000, false, 500, 500 }, { 5000, 0, 1000, false, 500, 501 },
                  { 4000, 4000, 0, true, 0, 1 } }
  local right = shared.score_admits(cases)
  partial(right / #cases)
  expect(right, "unseen admission cases answered right", "count"):to_equal(#cases)
end)

check("the fix with other VM counts", { number = "H3", points = 2, visibility = "after_due_date",
  hide_errors = "With other numbers of VMs in the pools, some Production VM no longer got the most CPU, or what a"
    .. " pool's VMs got compared with the root VM changed with the counts." }, function()
  local right = shared.judge_fix({ { 4, 60, 1 }, { 8, 12, 6 } }, false)
  partial(right / 2)
  expect(right, "conditions met on unseen layouts", "count"):to_equal(2)
end)

check("the vApp with other boot times", { number = "H4", points = 2, visibility = "after_due_date",
  hide_errors = "With guests that boot in other times, a tier started before the one it needs was ready, the start"
    .. " waited longer than the boots needed, or the stop was not a clean reverse shutdown." }, function()
  local right = shared.judge_vapp({ 95, 50, 5 }, false)
  partial(right / 3)
  expect(right, "conditions met with unseen boot times", "count"):to_equal(3)
end)
