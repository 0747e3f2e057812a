-- Instructor-only: fits_strict and costop_alarm on hosts and values the public checks do
-- not try, so answers fitted to the public cases do not pass. Never shipped to students;
-- `hyperlab pack` puts it only in the autograder. Runs after lab.lua, in the same world.
local shared = ...
local answer = lab.submission("answer.lua")

check("fits_strict on unseen hosts", { number = "H1", points = 2, visibility = "after_due_date", reveal = "value",
  hide_errors = "fits_strict(pcpus, vcpus) gave the wrong verdict for hosts and VM mixes the public checks do not try "
    .. "(other host sizes, three or more VMs, single-vCPU VMs, VMs of different sizes)." },
  function()
    lab.answer(answer, "fits_strict")
    local cases = { { 12, { 6, 6 } }, { 12, { 8, 6 } }, { 6, { 2, 2, 2 } }, { 6, { 1, 2, 4 } }, { 32, { 16, 8, 8 } },
                    { 2, { 1, 1, 1 } }, { 4, { 4 } }, { 8, { 3, 3, 3 } } }
    local right = 0
    for i, c in ipairs(cases) do
      -- the truth comes from the model, as in lab.lua, on a strict host of its own
      local truth = shared.all_run_at_once(c[1], c[2], "h-strict" .. i)
      local ok, got = pcall(answer.fits_strict, c[1], c[2])
      if ok and got == truth then right = right + 1
      else print(("H1 fits_strict(%d, { %s }): expected %s, got %s"):format(c[1], table.concat(c[2], ", "),
        tostring(truth), tostring(got))) end
    end
    partial(right / #cases)
    expect(right, "unseen cases right", "count"):to_equal(#cases)
  end)

-- %CSTP values on either side of esxtop's 3 % threshold, and far from it.
check("costop_alarm on unseen values", { number = "H2", points = 1, visibility = "after_due_date", reveal = "value",
  hide_errors = "costop_alarm(percent) gave the wrong verdict for %CSTP values the public checks do not try "
    .. "(some close to the threshold)." },
  function()
    lab.answer(answer, "costop_alarm")
    local cases = { { 0, false }, { 0.4, false }, { 2.5, false }, { 3.5, true }, { 12.5, true }, { 45, true } }
    local right = 0
    for _, c in ipairs(cases) do
      local ok, got = pcall(answer.costop_alarm, c[1])
      if ok and got == c[2] then right = right + 1
      else print(("H2 costop_alarm(%g): expected %s, got %s"):format(c[1], tostring(c[2]), tostring(got))) end
    end
    partial(right / #cases)
    expect(right, "unseen values right", "count"):to_equal(#cases)
  end)
