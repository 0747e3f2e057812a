-- A lab script that fails outside any check: the run ends as a lab script error (exit 2).
check("runs before the error", function() expect(1 + 1):to_equal(2) end)
local h = lab.host{ name = "esx01", cpus = 2, memory = "4 GIG" }
