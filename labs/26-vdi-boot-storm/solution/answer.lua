-- Lab 26 reference solution: linked clones (the replica is copied in minutes, not the
-- hours 40 GiB per desktop would take), starts staggered so few desktops boot at once,
-- a datastore sized for that peak with headroom, and hosts sized by memory plus one spare.
local M = {}

local GiB = 1024 ^ 3

function M.plan(desktops)
  local stagger = 20 * 60
  -- desktops booting (60 s) and logging in (30 s) at once, the rest at steady state
  local booting = desktops * 60 / stagger
  local login = desktops * 30 / stagger
  local peak = booting * 50 + login * 30 + (desktops - booting - login) * 10
  -- latency = 1 ms / (1 - u) on the SAN: u at most 0.9 keeps it near 10 ms
  local iops = math.ceil(peak / 0.9)
  local hosts = math.ceil(desktops * 2 * GiB / (256 * GiB)) + 1
  return { kind = "linked", stagger = stagger, iops = iops, hosts = hosts }
end

return M
