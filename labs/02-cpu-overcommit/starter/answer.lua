-- Lab 02: CPU over-commitment. Complete every function, then, from the lab's folder, run
--   hyperlab check . --submission my-answer
-- (my-answer being your copy of this folder).
-- Fractions are numbers from 0 to 1 (a string such as "25%" is accepted too); counts of
-- VMs are whole numbers; percentages are numbers from 0 to 100 (or strings like "10%").
local M = {}

-- 1. n CPU-bound single-vCPU VMs share a host with p pCPUs. Return the fraction of time
--    (0 to 1) each VM spends ready (runnable, waiting for a pCPU). It is compared with the
--    %RDY the host measures, within 0.03.
function M.ready_fraction(n, p)
  return 0
end

-- 2. Return the vCPU:pCPU over-commit ratio of `host` (a lab.Host) as a number (2.5 for
--    2.5:1; the string "2.5:1" is accepted too). Useful: host.vms, host.cpus, vm.vcpus,
--    vm.state.
function M.ratio(host)
  return 1
end

-- 3. Classify a vCPU:pCPU ratio with the lecture's bands: "fine", "may degrade" or "problem".
function M.band(ratio)
  return "fine"
end

-- 4. Sizing: the largest number of CPU-bound single-vCPU VMs a host with p pCPUs can run
--    while each stays ready at most `max_ready` (a fraction) of the time. The lab runs your
--    number of VMs, and one more, and checks the ready time the host measures.
function M.max_vms(p, max_ready)
  return p
end

-- 5. VMs that are busy only a fraction `load` of the time: how many fit on p pCPUs
--    before ready time climbs? The lab checks that with your number of VMs each is ready
--    at most 10 % of the time, and that with two more VMs ready reaches 30 % or more.
function M.contention_starts(load, p)
  return p
end

-- 6. vCenter reports CPU ready as milliseconds summed over each sample interval.
--    Convert `ready_ms` over `interval` seconds to a percentage (0 to 100).
function M.ready_percent(ready_ms, interval)
  return ready_ms
end

-- 7. Two CPU-bound VMs share one pCPU; one has High CPU shares (2000), the other Normal
--    (1000). What fraction of the time (0 to 1) does the High VM run under ESXi's
--    scheduler, and under a plain round robin? Each is compared with what the host
--    measures, within 0.02.
M.high_share_esx = nil
M.high_share_round_robin = nil

return M
