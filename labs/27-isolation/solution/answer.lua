-- Lab 27: isolation — reference solution.
local M = {}

-- Containers share their kernel: what happens to a kernel happens to all of its
-- containers. A VM has its own kernel; a crash takes its guest; an exploit reaches past
-- the VM only with a hypervisor bug (then every VM guest on the host).
function M.impact(s)
  if s.place == "node" then
    if s.event == "panic" then return s.per, 0 end
    return 0, s.per
  end
  if s.event == "panic" or s.event == "crash" then return s.per, 0 end
  if s.hypervisor_bug then return 0, s.vms * s.per end
  return 0, s.per
end

-- Equal weights: each gets half of the CPUs unless one wants less (its threads) or is
-- capped (its quota); what one leaves goes to the other.
function M.victim_cpus(cpus, victim, noisy, limit)
  local cap = math.min(noisy, limit or math.huge)
  local half = cpus / 2
  if victim <= half then return victim end
  if cap <= half then return math.min(victim, cpus - cap) end
  return half
end

-- The datastore shares its bandwidth max-min fairly among nodes; io.weight divides a node's
-- share among that node's containers only; io.max caps the neighbour, and what one does
-- not take goes to the other.
function M.victim_disk(s)
  local noisy = math.min(s.noisy, s.limit or math.huge)
  local w = s.nodes == 1 and s.weight or 100
  local share = s.bandwidth * 100 / (100 + w)
  if s.victim <= share then return s.victim end
  if noisy <= s.bandwidth - share then return math.min(s.victim, s.bandwidth - noisy) end
  return share
end

M.why = "b"

return M
