-- Lab 19 solution.
local M = {}

-- 1. High (2000) against Normal (1000): two thirds and one third of 2 GHz.
M.web_mhz_high = 2000 * 2 / 3
M.batch_mhz_high = 2000 / 3

-- 2. batch held at its limit, web takes the rest; no credit is banked while limited,
--    so without the limit batch is back at its share at once.
M.batch_mhz_limited = "400 MHz"
M.web_mhz_limited = "1.6 GHz"
M.after_limit = "its share"
M.batch_mhz_unlimited = 2000 / 3

-- 3. web's 1.5 GHz leaves 500 MHz unreserved, so 800 MHz is refused and nothing changes;
--    the reservation lifts web above its 1333 MHz share. vm.config events: shares, limit
--    set, limit removed, web's reservation (the refusal is an admission event).
M.batch_reservation_accepted = false
M.unreserved_after = "500 MHz"
M.web_mhz_reserved = "1.5 GHz"
M.config_changes = 4

-- 4. 4 vCPUs × 25/100 = 1 CPU; 150/100 = 1.5 CPUs; 1 s / 500 ms = 2 CPUs.
M.per_vcpu_quota_mhz = "2 GHz"
M.global_quota_mhz = "3 GHz"
M.bwc_example_mhz = "4 GHz"

-- 5. CPUs' worth: the busy vCPUs, each bounded by quota/period, all bounded by
--    global/period.
function M.vm_cpu_mhz(threads, vcpus, quota_ms, global_ms, period_ms, mhz)
  local busy = math.min(threads, vcpus)
  local cpus = busy * (quota_ms and math.min(1, quota_ms / period_ms) or 1)
  if global_ms then cpus = math.min(cpus, global_ms / period_ms) end
  return cpus * mhz
end

-- 6. ESXi: each busy host thread takes a pCPU first (a host OS's priority); the VMs
--    share what is left. fair: every busy thread and every 1-vCPU VM weighs the same.
--    A 1-vCPU VM uses at most one pCPU.
function M.vm_mhz_beside_host(scheduler, pcpus, mhz, vms, host_threads)
  local cpus
  if scheduler == "fair" then
    cpus = pcpus / (vms + host_threads)
  else
    cpus = math.max(0, pcpus - host_threads) / vms
  end
  return math.min(1, cpus) * mhz
end

-- 7. With a 20 ms rate limit the busy vCPU keeps its pCPU until it has run 20 ms, so
--    the waking interactive vCPU often waits.
M.ratelimit_ready = "rises"

-- 8. ESXi refuses a VM with more vCPUs than pCPUs; SimGrid (fair) does not. Each VM is a
--    flow of weight min(busy threads, vCPUs), bounded by that many cores: 4 : 1 of 4 GHz.
--    With the wide VM bounded to 1 GHz, the small one may take at most its one core (2 GHz);
--    the last 1 GHz stays idle.
M.wide_powers_on_esx = false
M.wide_share = 0.8
M.small_mhz = "800 MHz"
M.small_mhz_bounded = "2 GHz"
M.idle_mhz_bounded = "1 GHz"

-- Max-min fair sharing (water-filling) of `capacity` between flows { weight, bound }.
local function water_fill(capacity, flows)
  local got, open, left = {}, {}, capacity
  for i = 1, #flows do open[i] = true end
  while true do
    local weight = 0
    for i, f in ipairs(flows) do if open[i] then weight = weight + f.weight end end
    if weight == 0 then break end
    local per = left / weight
    local capped = false
    for i, f in ipairs(flows) do
      if open[i] and f.bound <= per * f.weight then
        got[i], open[i], left, capped = f.bound, false, left - f.bound, true
      end
    end
    if not capped then
      for i, f in ipairs(flows) do if open[i] then got[i] = per * f.weight end end
      break
    end
  end
  return got
end

-- 9. The VM weighs min(threads, vcpus) and may use that many cores, or its limit; the
--    busy 1-vCPU VM weighs 1 and may use one core.
function M.fair_vm_mhz(cores, mhz, vcpus, threads, limit)
  local impact = math.min(threads, vcpus)
  local bound = impact * mhz
  if limit then bound = math.min(bound, limit) end
  local got = water_fill(cores * mhz, { { weight = impact, bound = bound }, { weight = 1, bound = mhz } })
  return got[1]
end

-- 10. The VM gets min(threads, vcpus, cores) cores' worth, shared evenly by its threads;
--     each thread finishes only whole chunks.
function M.chunks_done(hz, cores, vcpus, threads, work, seconds)
  local per_thread = math.min(threads, vcpus, cores) * hz / threads
  return threads * math.floor(per_thread * seconds / work + 1e-9)
end

return M
