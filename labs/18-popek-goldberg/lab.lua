-- Lab 18: Popek and Goldberg's requirements — which instruction sets can be virtualized
-- by trap-and-emulate, why x86 could not, and what a hybrid VMM buys.
local answer = lab.submission("answer.lua")

check("which machines are virtualizable", { number = "1", points = 3,
  hint = "Theorem 1: sensitive ⊆ privileged. Theorem 3: user-sensitive ⊆ privileged." }, function()
  expect(answer.virtualizable, "M.virtualizable"):to_be_set()
  expect(answer.hybrid_virtualizable, "M.hybrid_virtualizable"):to_be_set()
  local right, total = 0, 0
  for _, name in ipairs({ "x86", "x86-vtx", "ideal", "pdp10" }) do
    local isa = lab.isa(name)
    total = total + 2
    if answer.virtualizable[name] == isa.virtualizable then right = right + 1 else
      print(("%s: trap-and-emulate %s"):format(name, isa.virtualizable and "works" or "does not work"))
    end
    if answer.hybrid_virtualizable[name] == isa.hybrid_virtualizable then right = right + 1 else
      print(("%s: a hybrid VMM %s"):format(name, isa.hybrid_virtualizable and "works" or "does not work"))
    end
  end
  partial(right / total)
  expect(right, "answers right"):to_equal(total)
end)

check("design a machine for a hybrid VMM", { number = "2", points = 3,
  hint = "Make an instruction sensitive in supervisor mode only, and leave it unprivileged." }, function()
  expect(answer.machine, "M.machine"):to_be_set()
  local ok, isa = pcall(lab.isa, answer.machine)
  expect(ok, "M.machine is an instruction set: " .. tostring(isa)):to_be_true()
  expect(isa.virtualizable, "trap-and-emulate works on it"):to_be_false()
  expect(isa.hybrid_virtualizable, "a hybrid VMM works on it"):to_be_true()
end)

check("break trap-and-emulate on x86", { number = "3", points = 3,
  hint = "A sensitive instruction that does not trap runs directly, with the real machine's user-mode semantics." }, function()
  expect(answer.program, "M.program"):to_be_set()
  local te = lab.isa("x86"):run{ program = answer.program, vmm = "trap-and-emulate" }
  local vt = lab.isa("x86-vtx"):run{ program = answer.program, vmm = "hardware-assist" }
  expect(te.equivalent, "equivalent under trap-and-emulate on x86"):to_be_false()
  expect(vt.equivalent, "equivalent under VT-x"):to_be_true()
  print("what went wrong: " .. table.concat(te.differences, "; "))
end)

check("the price of a hybrid VMM", { number = "4", points = 1,
  hint = "Efficiency: a statistically dominant subset of instructions should run directly." }, function()
  local program = {}
  for _ = 1, 8 do program[#program + 1] = { mode = "kernel", op = "add" } end
  program[#program + 1] = { mode = "kernel", op = "jrst1" }
  for _ = 1, 8 do program[#program + 1] = { mode = "user", op = "add" } end
  local pdp = lab.isa("pdp10")
  local te = pdp:run{ program = program, vmm = "trap-and-emulate" }
  local hy = pdp:run{ program = program, vmm = "hybrid" }
  expect(answer.more_direct, "M.more_direct"):to_equal(te.direct_share > hy.direct_share and "trap-and-emulate" or "hybrid")
end)
