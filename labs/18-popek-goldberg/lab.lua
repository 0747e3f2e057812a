-- Lab 18: Popek and Goldberg's requirements — which instruction sets can be virtualized
-- by trap-and-emulate, why x86 could not, and what a hybrid VMM buys.
local answer = lab.submission("answer.lua", { simulate = false })

local function show(v)
  if type(v) == "string" then return ("%q"):format(v) end
  if type(v) == "table" then return "a table" end
  return tostring(v)
end
-- An error message without the lab script's position (students need the reason, not lab.lua's line).
local function reason(err)
  return (tostring(err):gsub("^[%w_%-%./]+%.lua:%d+: ", ""))
end

check("which machines are virtualizable", { number = "1", points = 2, reveal = "value",
  hint = "For each machine, look at its sensitive instructions that do not trap in user mode"
    .. " (isa.sensitive_unprivileged): in which mode are they sensitive, and what does each theorem ask of them?"
    .. " What changes when the hardware makes sensitive instructions exit to the VMM?" },
  function()
  local te, hy = lab.answer(answer, "virtualizable"), lab.answer(answer, "hybrid_virtualizable")
  expect(type(te) == "table" and type(hy) == "table", "M.virtualizable and M.hybrid_virtualizable are tables"):to_be_true()
  local right, total = 0, 0
  for _, name in ipairs({ "x86", "x86-vtx", "ideal", "pdp10" }) do
    local isa = lab.isa(name)
    total = total + 2
    local ok_te, ok_hy = te[name] == isa.virtualizable, hy[name] == isa.hybrid_virtualizable
    right = right + (ok_te and 1 or 0) + (ok_hy and 1 or 0)
    if not (ok_te and ok_hy) then
      print(("  [instructor] %s: trap-and-emulate %s, a hybrid VMM %s"):format(name,
        isa.virtualizable and "works" or "does not work", isa.hybrid_virtualizable and "works" or "does not work"))
      if te[name] == nil or hy[name] == nil then
        lab.feedback(("%s: give both M.virtualizable[%q] and M.hybrid_virtualizable[%q] (true or false)")
          :format(name, name, name))
      else
        lab.feedback(("%s: your answers (trap-and-emulate %s, hybrid %s) are not both right")
          :format(name, show(te[name]), show(hy[name])))
      end
    end
  end
  partial(right / total)
  expect(right, "answers right", "count"):to_equal(total)
end)

check("design a machine for a hybrid VMM", { number = "2", points = 3,
  hint = "Theorem 1 and Theorem 3 differ in which instructions they care about: you need one that breaks the first"
    .. " and not the second. Which real machine had such an instruction?" }, function()
  local spec = lab.answer(answer, "machine")
  expect(type(spec) == "table", "M.machine is a table { name = ..., instructions = { ... } } of your own"):to_be_true()
  local ok, isa = pcall(lab.isa, spec)
  if not ok then lab.feedback("lab.isa could not build M.machine: " .. reason(isa)) end
  expect(ok, "M.machine is a valid instruction set"):to_be_true()
  if isa.virtualizable or not isa.hybrid_virtualizable then
    lab.feedback(("your machine's sensitive instructions that do not trap in user mode: %s")
      :format(#isa.sensitive_unprivileged > 0 and table.concat(isa.sensitive_unprivileged, ", ") or "none"))
  end
  expect(isa.virtualizable, "trap-and-emulate works on it"):to_be_false()
  expect(isa.hybrid_virtualizable, "a hybrid VMM works on it"):to_be_true()
end)

check("break trap-and-emulate on x86", { number = "3", points = 3,
  hint = "Which x86 instructions are sensitive but do not trap? Run one in the guest kernel, then let the guest"
    .. " look at what it did." }, function()
  local program = lab.answer(answer, "program")
  local ok, te = pcall(lab.isa("x86").run, lab.isa("x86"), { program = program, vmm = "trap-and-emulate" })
  if not ok then lab.feedback("M.program could not run on x86: " .. reason(te)) end
  expect(ok, "M.program runs on x86"):to_be_true()
  local vt = lab.isa("x86-vtx"):run{ program = program, vmm = "hardware-assist" }
  if te.equivalent then
    lab.feedback(("under trap-and-emulate on x86 your program ran as on bare hardware (%d traps, %d run directly)")
      :format(te.traps, te.direct))
  else
    lab.feedback("under trap-and-emulate on x86: " .. table.concat(te.differences, "; "))
  end
  expect(te.equivalent, "equivalent under trap-and-emulate on x86"):to_be_false()
  if not vt.equivalent then lab.feedback("with VT-x: " .. table.concat(vt.differences, "; ")) end
  expect(vt.equivalent, "equivalent under VT-x"):to_be_true()
end)

check("the price of a hybrid VMM", { number = "4", points = 1,
  hint = "Compare direct_share under each VMM: which code does a hybrid VMM interpret, and which does it run directly?" },
  function()
  local program = {}
  for _ = 1, 8 do program[#program + 1] = { mode = "kernel", op = "add" } end
  program[#program + 1] = { mode = "kernel", op = "jrst1" }
  for _ = 1, 8 do program[#program + 1] = { mode = "user", op = "add" } end
  local pdp = lab.isa("pdp10")
  local te = pdp:run{ program = program, vmm = "trap-and-emulate" }
  local hy = pdp:run{ program = program, vmm = "hybrid" }
  expect(lab.answer(answer, "more_direct"), "M.more_direct")
    :to_equal(te.direct_share > hy.direct_share and "trap-and-emulate" or "hybrid")
end)

-- The student's own reading of the theorems, tried on three small machines; the verdict
-- is the model's (lab.isa's virtualizable and hybrid_virtualizable).
local function verdict(isa)
  if isa.virtualizable then return "trap-and-emulate" end
  return isa.hybrid_virtualizable and "hybrid" or "none"
end
local machines = {
  { name = "toy-a", instructions = {
    { name = "cli", privileged = true, sensitive = "control", effect = "disable-interrupts" },
    { name = "rdmode", privileged = true, sensitive = "behavior", effect = "read-mode" },
    { name = "add", privileged = false, sensitive = "none" } } },
  { name = "toy-b", instructions = {
    { name = "cli", privileged = true, sensitive = "control", effect = "disable-interrupts" },
    { name = "rti", privileged = false, sensitive = "control", user_sensitive = false, effect = "return-to-user" },
    { name = "add", privileged = false, sensitive = "none" } } },
  { name = "toy-c", instructions = {
    { name = "cli", privileged = true, sensitive = "control", effect = "disable-interrupts" },
    { name = "rdflags", privileged = false, sensitive = "behavior", user_sensitive = true, effect = "read-flags" },
    { name = "add", privileged = false, sensitive = "none" } } },
}

check("your reading of the theorems: vmm_for(instructions)", { number = "5", points = 1, reveal = "value",
  hint = "Go through the instructions one by one: which are sensitive, in which mode, and which trap in user mode?"
    .. " Compare with lab.isa{...} on machines of your own." }, function()
  lab.answer(answer, "vmm_for", "function")
  local right = 0
  for _, m in ipairs(machines) do
    local want = verdict(lab.isa(m))
    local ok, got = pcall(answer.vmm_for, m.instructions)
    if ok and got == want then right = right + 1 else
      print(("  [instructor] %s: %s, the answer gave %s"):format(m.name, want, tostring(got)))
      if not ok then
        lab.feedback(("%s: vmm_for(...) failed: %s"):format(m.name, tostring(got)))
      elseif got ~= "trap-and-emulate" and got ~= "hybrid" and got ~= "none" then
        lab.feedback(("%s: vmm_for(...) returned %s; return \"trap-and-emulate\", \"hybrid\" or \"none\"")
          :format(m.name, show(got)))
      else
        lab.feedback(("%s: your answer %s is not right"):format(m.name, show(got)))
      end
    end
  end
  partial(right / #machines)
  expect(right, "machines answered right", "count"):to_equal(#machines)
end)
