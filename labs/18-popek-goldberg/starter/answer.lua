-- Lab 18: Popek and Goldberg. Fill in every answer; then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
local M = {}

-- 1. Can each built-in instruction set be virtualized by trap-and-emulate (Theorem 1)?
--    By a hybrid VMM (Theorem 3)? true or false for "x86", "x86-vtx", "ideal", "pdp10",
--    e.g. M.virtualizable = { x86 = ..., ["x86-vtx"] = ..., ideal = ..., pdp10 = ... }.
M.virtualizable = {}
M.hybrid_virtualizable = {}

-- 2. An instruction set (the table lab.isa{...} takes: { name = ..., instructions = {...} })
--    on which trap-and-emulate does not work but a hybrid VMM does. Each instruction:
--    { name = ..., privileged = true|false, sensitive = "none"|"control"|"behavior",
--    user_sensitive = true|false (default: sensitive at all), effect = ... }.
M.machine = nil

-- 3. A guest program that behaves differently under trap-and-emulate on "x86" than on
--    bare hardware, but the same with VT-x: a list of { mode = "kernel"|"user", op = ...,
--    value = ... } (for "popf", value is the interrupt flag: 0 or 1).
M.program = nil

-- 4. On the PDP-10, which runs more instructions directly: "trap-and-emulate" or "hybrid"?
M.more_direct = nil

-- 5. Your own reading of the theorems: given the instructions of a machine (a list like
--    M.machine.instructions, without hardware assist), return "trap-and-emulate" when
--    Theorem 1 says trap-and-emulate works, else "hybrid" when Theorem 3 says a hybrid
--    VMM works, else "none".
function M.vmm_for(instructions)
  return "none"
end

return M
