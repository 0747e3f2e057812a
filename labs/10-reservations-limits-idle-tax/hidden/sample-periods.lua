-- Instructor-only: active_estimate on sizes, sample periods and times the public check
-- does not try (a period that is not a divisor of a minute, a longer one than the
-- default, a time before the first sample). Never shipped to students. Its hosts are
-- named "h-sample...".
local shared = ...
local answer = lab.submission("answer.lua")

check("active_estimate on other sizes and sample periods", { number = "H2", points = 2,
  visibility = "after_due_date",
  hide_errors = "active_estimate gave a wrong estimate for a sample period, size or time the public check does "
             .. "not try." }, function()
  local fn = lab.answer(answer, "active_estimate", "function")
  local cases = {
    { "6 GiB", "2 GiB", 70, 20 },
    { "512 MiB", "3 GiB", 40, 30 },
    { "4 GiB", "512 MiB", 400, 120 },
    { "1 GiB", "4 GiB", 8, 10 },
    { "3 GiB", "1 GiB", 100, 45 },
    { "2 GiB", "6 GiB", 130, 120 },
  }
  local right = shared.judge_estimates(fn, cases, false)
  partial(right / #cases)
  expect(right, "unseen cases answered right", "count"):to_equal(#cases)
end)
