-- Lab 23: reference solution.
local M = {}

M.alarms = {
  -- the nightly batch stays under 85 % and spikes last under 5 min, so above 85 % for
  -- 15 min (three samples) is a VM in trouble; a runaway stays above 90 %
  { name = "VM CPU usage", on = "vm", metric = "cpu.usage", warning = 85, critical = 90, lasting = "15 min" },
  -- active memory (vCenter's VM memory usage) stays under 65 %; a working set near the
  -- VM's size is what hurts
  { name = "VM memory usage", on = "vm", metric = "memory.usage", warning = 80, critical = 90, lasting = "15 min" },
  -- the datastore usually runs 70–80 % full: warn above that, page before it fills
  { name = "Datastore usage on disk", on = "datastore", metric = "usage", warning = 85, critical = 90 },
  -- a failed host reports no metrics at all: a state trigger sees it at once
  { name = "Host connection", on = "host", state = "connection", is = "not responding" },
}

return M
