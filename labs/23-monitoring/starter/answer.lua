-- Lab 23: alarms for a month of the prod cluster. Fill in M.alarms; then, from the lab's
-- folder, run
--   hyperlab check . --submission <this folder>
--
-- M.alarms is a list of alarm definitions, each a table of what lab.alarm{...} takes
-- (docs/api.md, "lab.alarm" and "Alarm metrics and states"), with `on` a kind:
--   name      a name of your choice
--   on        "vm", "host", "datastore" or "cluster": the alarm watches every such object
--             of the cluster
--   and one trigger, either a metric:
--   metric    e.g. "cpu.usage" (%), "memory.usage" (%), "usage" (% of a datastore)
--   warning   yellow above this, in the metric's unit: a number, or e.g. "80%"
--   critical  red above this
--   lasting   how long the condition must hold: seconds, or e.g. "10 min" (default 0)
--   below     true for "is below" (default false)
--   counter   for a VM's memory.usage: "active" (default) or "consumed"
--   or a state:
--   state     e.g. "connection" (host), "power" (VM or host), "heartbeat" (VM)
--   is        the value (or a list of values) that makes it red, e.g. "not responding"
--   level     "yellow" or "red" (default "red")
--   or an event:
--   event     a kind of lab.events, e.g. "host.fail"; reset = the kind that ends it
local M = {}

-- vCenter's default alarms, as a start: are they right for this cluster?
M.alarms = {
  { name = "VM CPU usage", on = "vm", metric = "cpu.usage", warning = 75, critical = 90, lasting = "5 min" },
  { name = "VM memory usage", on = "vm", metric = "memory.usage", warning = 75, critical = 90, lasting = "5 min" },
  { name = "Datastore usage on disk", on = "datastore", metric = "usage", warning = 75, critical = 85 },
}

return M
