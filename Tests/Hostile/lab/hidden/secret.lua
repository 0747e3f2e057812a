-- An instructor-only check: its name, message and source never reach students.
local answer = lab.submission("answer.lua")

check("secret hidden check", { points = 1, hide_errors = "A hidden check did not pass." }, function()
  expect(answer.f() + answer.value, "the secret sum"):to_equal(84)
end)
