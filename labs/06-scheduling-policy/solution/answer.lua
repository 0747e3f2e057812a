-- Lab 06 reference solution: proportional share. The vCPUs that have received the least
-- CPU relative to their shares run first — fair, work-conserving, quick for interactive
-- VMs (they have used little), and weighted by shares.
local M = {}

M.scheduler = lab.scheduler{
  name = "proportional-share",
  quantum = "50 ms",
  pick = function(view)
    local r = view.runnable
    table.sort(r, function(a, b)
      local x, y = a.run / a.shares, b.run / b.shares
      if x ~= y then return x < y end
      return a.id < b.id
    end)
    local chosen = {}
    for i = 1, math.min(view.pcpus, #r) do chosen[i] = r[i].id end
    return chosen
  end,
}

return M
