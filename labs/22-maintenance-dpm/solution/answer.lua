-- Lab 22: maintenance mode, rules and DPM — the reference solution.
local M = {}

-- 1. Each host of the cluster entering maintenance alone: the VMs that stay, and why.
M.blockers = {
  esx1 = { db = "rule" },          -- must run on esx1; app breaks its "should" rule and leaves, web1 avoids web2's host
  esx2 = {},                       -- web2 avoids esx1, res2's 24 GiB reservation fits elsewhere
  esx3 = { gpu = "passthrough" },  -- vMotion cannot move a pass-through device; batch leaves
  esx4 = { big = "resources" },    -- 48 GiB reserved: every other host has 40 GiB unreserved
}

-- 2. DRS in manual mode, esx1 entering maintenance.
M.manual_vmotions = 0
M.manual_recommendations = 2       -- app and web1; db is blocked by its rule

-- 3. esx1 fails with HA on.
M.down_after_esx1_fails = { "db" }

-- 4. A day of DPM.
M.night_first_standby = "40 min"
M.night_hosts_on = 2
M.night_hosts_on_without_ha = 1
M.morning_power_on_after = "5 min"
M.morning_hosts_powered_on = 3     -- 27 GHz: 2 hosts → 135 %; 5 hosts → 54 % ≤ 63 %
M.morning_hosts_powered_on_without_ha = 4
M.evening_first_standby = "40 min"

-- 5. N+1 on 3 × 512 GiB + 3 × 256 GiB at 75 %.
M.usable_memory = "1792 GiB"
M.planned_memory = "1344 GiB"
M.ha_percent = 23

-- 6. Usable and planned capacity after `failures` of the largest hosts.
function M.n_plus(memories, failures, target)
  local sorted = {}
  for i, m in ipairs(memories) do sorted[i] = m end
  table.sort(sorted, function(a, b) return a > b end)
  local total, lost = 0, 0
  for i, m in ipairs(sorted) do
    total = total + m
    if i <= failures then lost = lost + m end
  end
  local usable = total - lost
  return usable, math.floor(usable * target / 100)
end

-- 7. Hosts DPM leaves on at a steady CPU demand (target 63 %, tolerance 18 %, threshold 3).
function M.dpm_hosts_on(hosts, host_mhz, demand_mhz, ha_failures)
  local on = hosts
  local floor = ha_failures + 1
  while on > floor do
    local now = demand_mhz / (on * host_mhz) * 100
    local after = demand_mhz / ((on - 1) * host_mhz) * 100
    if now >= 45 or after > 63 then break end
    on = on - 1
  end
  return on
end

-- Each vendor's modes in order; a baseline must be one every host has, so the oldest
-- host's generation, and only when all hosts are of one vendor.
local modes = {
  intel = { "merom", "penryn", "nehalem", "westmere", "sandy-bridge", "ivy-bridge", "haswell", "broadwell", "skylake",
            "cascade-lake", "ice-lake", "sapphire-rapids" },
  amd = { "opteron-g1", "opteron-g2", "opteron-g3", "bulldozer", "piledriver", "steamroller", "zen", "zen2", "zen3", "zen4" },
}
function M.evc_baseline(generations)
  local vendor, oldest
  for _, g in ipairs(generations) do
    for v, list in pairs(modes) do
      for i, name in ipairs(list) do
        if name == g then
          if vendor and vendor ~= v then return nil end
          vendor = v
          if not oldest or i < oldest then oldest = i end
        end
      end
    end
  end
  return vendor and modes[vendor][oldest] or nil
end

return M
