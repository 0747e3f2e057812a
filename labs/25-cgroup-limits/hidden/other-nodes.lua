-- Instructor-only: the same questions on weights, quotas and limits the public checks do
-- not use, so copying the public results does not pass them.
local shared = ...

check("weights on other nodes", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "cpu_share gave wrong CPU shares for weights, thread counts or node sizes the public checks do not use." },
  function()
  local cases = { { { 300, 100, 100 }, { 2, 2, 2 }, 2 }, { { 1000, 10 }, { 1, 16 }, 16 },
                  { { 100, 200, 300, 400 }, { 1, 1, 1, 1 }, 2 } }
  local right = shared.score_shares(cases, false)
  partial(right / #cases)
  expect(right, "unseen weight cases answered right", "count"):to_equal(#cases)
end)

check("quotas with other periods", { number = "H2", points = 2, visibility = "after_due_date",
  hide_errors = "quota gave the wrong CPU or throttled time for quotas, periods or thread counts the public checks do not use." },
  function()
  local cases = { { 250000, 100000, 4, 16 }, { 10000, 20000, 1, 4 }, { 300000, 100000, 2, 8 } }
  local right = shared.score_quota(cases, false)
  partial(right / #cases)
  expect(right, "unseen quota cases answered right", "count"):to_equal(#cases)
end)

check("other memory limits", { number = "H3", points = 2, visibility = "after_due_date",
  hide_errors = "memory_outcome gave the wrong state or swap for limits the public checks do not use." }, function()
  local cases = { { lab.bytes("1 GiB"), lab.bytes("1536 MiB"), lab.bytes("1400 MiB") },
                  { lab.bytes("1 GiB"), lab.bytes("1536 MiB"), lab.bytes("1600 MiB") },
                  { lab.bytes("300 MiB"), nil, lab.bytes("200 MiB") } }
  local right = shared.score_memory(cases, false)
  partial(right / #cases)
  expect(right, "unseen memory cases answered right", "count"):to_equal(#cases)
end)
