-- Instructor-only: the student's alarm definitions on another month of another cluster,
-- with other objects, times and levels within the handout's ranges (a nightly batch at
-- 84 %, a runaway at 93 %, a working set of 93 %, a datastore usually 72 % full filling to
-- 93 %, a shorter host failure). Never shipped to students.
local shared = ...
local DAY, H = shared.DAY, shared.H

local m = shared.month{
  tag = "h-dr", prefix = "H: ", seed = 1723,
  vms = { { name = "web01", cpu = 0.20, mem = 35 }, { name = "web02", cpu = 0.35, mem = 45 },
          { name = "app01", cpu = 0.45, mem = 65 }, { name = "app02", cpu = 0.30, mem = 50 },
          { name = "db01", cpu = 0.40, mem = 60 }, { name = "batch01", cpu = 0.15, mem = 30 } },
  datastore = 72,
  batch = { vm = "batch01", at = 2 * H, cpu = 84, minutes = { 35, 45 } },
  incidents = {
    runaway = { vm = "web02", at = 5 * DAY + 15 * H, hours = 2, cpu = 93 },
    hungry = { vm = "app02", at = 8 * DAY + 9 * H, hours = 4, mem = 93 },
    failure = { host = 3, at = 19 * DAY + 22 * H, hours = 1 },
    filling = { vm = "db01", at = 25 * DAY + 4 * H, to = 93 },
  },
}
local caught, false_alarms = shared.judge(m)
local n = 0
for _, inc in ipairs(m.incidents) do
  if caught[inc] then n = n + 1 end
  print(("[instructor] H: %s: %s"):format(inc.text, caught[inc] and "caught" or "missed"))
end
for _, f in ipairs(false_alarms) do print("[instructor] H: false alarm: " .. shared.describe(m, f)) end

check("another month: the incidents are caught", { number = "H1", points = 3, visibility = "after_due_date",
  hide_errors = "On another month of another cluster (other VMs, times and levels within the handout's ranges),"
    .. " some incident was not turned red: a runaway VM, a memory-hungry VM, a failed host or a filling datastore." },
  function()
  partial(n / #m.incidents)
  expect(n, "incidents caught", "count"):to_equal(#m.incidents)
end)

check("another month: no false alarms", { number = "H2", points = 2, visibility = "after_due_date",
  hide_errors = "On another month of another cluster, your alarms also went off for the usual load, the nightly"
    .. " batch, a short spike or the usual datastore usage (all within the handout's ranges), or missed an"
    .. " incident (this check counts in proportion to the incidents caught)." },
  function()
  partial(shared.quiet(n, #m.incidents, #false_alarms))
  expect(#false_alarms, "false alarms", "count"):to_equal(0)
  expect(n, "incidents caught", "count"):to_equal(#m.incidents)
end)
