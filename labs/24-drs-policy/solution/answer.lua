-- Lab 24: a DRS balancing policy — a reference solution. Greedy: while the cluster is
-- above the target imbalance, make the move that lowers it most, among those that keep
-- every rule, fit the destination's reservations and respect the cap on moves per host.
local M = {}

local function contains(list, x)
  for _, y in ipairs(list) do if y == x then return true end end
  return false
end

-- population standard deviation of f(host) over `hosts`
local function sd(hosts, f)
  local mean = 0
  for _, h in ipairs(hosts) do mean = mean + f(h) end
  mean = mean / #hosts
  local v = 0
  for _, h in ipairs(hosts) do v = v + (f(h) - mean) ^ 2 end
  return math.sqrt(v / #hosts)
end

M.balancer = lab.drs_policy{ name = "greedy", plan = function(view)
  local hosts, byName = {}, {}
  for _, h in ipairs(view.hosts) do
    local x = { name = h.name, cap = h.cpu_capacity, mcap = h.memory_capacity, cpu = h.cpu_entitled,
                mem = h.memory_entitled, resc = h.cpu_reserved, resm = h.memory_reserved, moved = 0 }
    byName[h.name] = x
    if h.eligible then hosts[#hosts + 1] = x end
  end
  if #hosts < 2 then return {} end
  local at = {}
  for _, v in ipairs(view.vms) do at[v.name] = v.host end
  local function imbalance()
    return math.max(sd(hosts, function(h) return h.cpu / h.cap end), sd(hosts, function(h) return h.mem / h.mcap end))
  end
  local function shift(v, from, to)
    from.cpu, to.cpu = from.cpu - v.cpu_entitlement, to.cpu + v.cpu_entitlement
    from.mem, to.mem = from.mem - v.memory_entitlement, to.mem + v.memory_entitlement
    from.resc, to.resc = from.resc - v.cpu_reservation, to.resc + v.cpu_reservation
    from.resm, to.resm = from.resm - v.memory_reservation, to.resm + v.memory_reservation
    at[v.name] = to.name
  end
  local function allowed(v, h)
    for _, r in ipairs(view.rules) do
      if r.enabled and contains(r.vms, v.name) then
        if r.kind == "vm-anti-affinity" then
          for _, o in ipairs(r.vms) do if o ~= v.name and at[o] == h.name then return false end end
        elseif r.kind == "vm-affinity" then
          for _, o in ipairs(r.vms) do if o ~= v.name and at[o] and at[o] ~= h.name then return false end end
        elseif contains(r.hosts, h.name) == r.avoid then
          return false
        end
      end
    end
    return h.resc + v.cpu_reservation <= h.cap and h.resm + v.memory_reservation <= h.mcap
  end
  local cap = view.max_moves_per_host
  local moves, moved = {}, {}
  while true do
    local now = imbalance()
    if now <= view.target then break end
    local best
    for _, v in ipairs(view.vms) do
      local from = byName[at[v.name]]
      if v.movable and not moved[v.name] and from and from.moved < cap then
        for _, h in ipairs(hosts) do
          if h ~= from and h.moved < cap and allowed(v, h) then
            shift(v, from, h)
            local after = imbalance()
            shift(v, h, from)
            if after < (best and best.after or now - 0.005) then best = { vm = v, from = from, to = h, after = after } end
          end
        end
      end
    end
    if not best then break end
    shift(best.vm, best.from, best.to)
    best.from.moved, best.to.moved = best.from.moved + 1, best.to.moved + 1
    moved[best.vm.name] = true
    moves[#moves + 1] = { vm = best.vm.name, to = best.to.name }
  end
  return moves
end }

return M
