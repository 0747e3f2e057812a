-- Lab 17 solution.
local M = {}

M.slot_mhz = 2000          -- the largest CPU reservation ("2 GHz" works too)
M.slot_memory = "2 GiB"    -- the largest memory reservation
M.failover_capacity = 1    -- slots 4 + 3 + 3 = 10; without the largest host, 6 ≥ 5 VMs
M.vms_powered_on = 6       -- a 6th fits (6 ≤ 6 slots left after a failure), a 7th does not

M.web_downtime_seconds = 45   -- 15 s to detect + 30 s to boot
M.db_downtime_seconds = 0     -- the secondary takes over in lockstep
M.web_memory_after_restart = 0        -- a restart loses the memory state
M.db_memory_after_failover = "2 GiB"  -- FT keeps it

M.gpu_state = "off"           -- DirectPath I/O: not protected
M.db_has_new_secondary = true

-- slot = the largest reservations; slots per host = min(CPU ÷ slot, memory ÷ slot), whole;
-- lose the hosts with the most slots first while the rest still hold every VM
function M.tolerated_failures(hosts, vms)
  local cpu, mem = 0, 0
  for _, v in ipairs(vms) do
    cpu, mem = math.max(cpu, v.cpu), math.max(mem, v.memory)
  end
  local slots, total = {}, 0
  for i, h in ipairs(hosts) do
    slots[i] = math.min(h.cpu // cpu, h.memory // mem)
    total = total + slots[i]
  end
  table.sort(slots, function(a, b) return a > b end)
  local failures = 0
  while failures < #hosts - 1 and total - slots[failures + 1] >= #vms do
    total = total - slots[failures + 1]
    failures = failures + 1
  end
  return failures
end

return M
