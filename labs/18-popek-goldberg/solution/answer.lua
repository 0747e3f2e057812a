-- Lab 18 solution.
local M = {}

M.virtualizable = { x86 = false, ["x86-vtx"] = true, ideal = true, pdp10 = false }
M.hybrid_virtualizable = { x86 = false, ["x86-vtx"] = true, ideal = true, pdp10 = true }

-- "leave" returns to user mode without trapping: sensitive, but only in supervisor mode
M.machine = {
  name = "mine",
  instructions = {
    { name = "leave", privileged = false, sensitive = "control", user_sensitive = false, effect = "return-to-user" },
    { name = "cli", privileged = true, sensitive = "control", effect = "disable-interrupts" },
    { name = "add", privileged = false, sensitive = "none" },
  },
}

-- the guest kernel disables interrupts with POPF, then reads the flags back: POPF does
-- not trap in user mode and the change is silently ignored
M.program = {
  { mode = "kernel", op = "popf", value = 0 },
  { mode = "kernel", op = "pushf" },
}

M.more_direct = "trap-and-emulate"   -- the hybrid VMM interprets all supervisor code

-- Theorem 1: every sensitive instruction privileged; Theorem 3: every user-sensitive one
-- (user_sensitive defaults to "sensitive at all")
function M.vmm_for(instructions)
  local t1, t3 = true, true
  for _, i in ipairs(instructions) do
    local sensitive = i.sensitive ~= "none"
    local user_sensitive = i.user_sensitive
    if user_sensitive == nil then user_sensitive = sensitive end
    if sensitive and not i.privileged then t1 = false end
    if user_sensitive and not i.privileged then t3 = false end
  end
  if t1 then return "trap-and-emulate" end
  return t3 and "hybrid" or "none"
end

return M
