-- Instructor-only: the student's vmm_for(instructions) on machines the public checks do
-- not try, judged by lab.isa's theorems. Never shipped to students.
local answer = lab.submission("answer.lua")

local function verdict(isa)
  if isa.virtualizable then return "trap-and-emulate" end
  return isa.hybrid_virtualizable and "hybrid" or "none"
end

local function score(machines)
  local right = 0
  for _, m in ipairs(machines) do
    local want = verdict(lab.isa(m))
    local ok, got = pcall(answer.vmm_for, m.instructions)
    if ok and got == want then right = right + 1 else
      print(("  [instructor] %s: %s, the answer gave %s"):format(m.name, want, tostring(got)))
    end
  end
  return right
end

local others = {
  -- behaviour-sensitive only in supervisor mode, unprivileged: a hybrid VMM copes
  { name = "hidden-a", instructions = {
    { name = "sti", privileged = true, sensitive = "control", effect = "enable-interrupts" },
    { name = "rdmode", privileged = false, sensitive = "behavior", user_sensitive = false, effect = "read-mode" },
    { name = "ldt", privileged = true, sensitive = "control", effect = "load-table" },
    { name = "mov", privileged = false, sensitive = "none" } } },
  -- one supervisor-only and one user-sensitive unprivileged instruction: neither
  { name = "hidden-b", instructions = {
    { name = "rti", privileged = false, sensitive = "control", user_sensitive = false, effect = "return-to-user" },
    { name = "sdt", privileged = false, sensitive = "behavior", user_sensitive = true, effect = "read-table" },
    { name = "cli", privileged = true, sensitive = "control", effect = "disable-interrupts" } } },
  -- every sensitive instruction privileged, many innocuous ones: trap-and-emulate
  { name = "hidden-c", instructions = {
    { name = "popf", privileged = true, sensitive = "control", effect = "pop-flags" },
    { name = "pushf", privileged = true, sensitive = "behavior", effect = "read-flags" },
    { name = "sdt", privileged = true, sensitive = "behavior", user_sensitive = true, effect = "read-table" },
    { name = "add", privileged = false, sensitive = "none" },
    { name = "jmp", privileged = false, sensitive = "none" } } },
  -- a user-sensitive unprivileged read of the flags: neither
  { name = "hidden-d", instructions = {
    { name = "pushf", privileged = false, sensitive = "behavior", effect = "read-flags" },
    { name = "cli", privileged = true, sensitive = "control", effect = "disable-interrupts" },
    { name = "add", privileged = false, sensitive = "none" } } },
}

check("vmm_for() on other machines", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "vmm_for() gave the wrong verdict for a machine the public checks do not try." }, function()
  lab.answer(answer, "vmm_for", "function")
  local right = score(others)
  partial(right / #others)
  expect(right, "unseen machines answered right", "count"):to_equal(#others)
end)

local edges = {
  -- user_sensitive left out: an unprivileged control-sensitive instruction is then user-sensitive too
  { name = "hidden-e", instructions = {
    { name = "lmsw", privileged = false, sensitive = "control", effect = "load-table" },
    { name = "add", privileged = false, sensitive = "none" } } },
  -- privileged but innocuous instructions do not matter; no sensitive instruction at all
  { name = "hidden-f", instructions = {
    { name = "hlt", privileged = true, sensitive = "none" },
    { name = "add", privileged = false, sensitive = "none" } } },
  -- a privileged instruction sensitive in supervisor mode only: it traps, so Theorem 1 holds
  { name = "hidden-g", instructions = {
    { name = "rti", privileged = true, sensitive = "control", user_sensitive = false, effect = "return-to-user" },
    { name = "cli", privileged = true, sensitive = "control", effect = "disable-interrupts" },
    { name = "add", privileged = false, sensitive = "none" } } },
}

check("vmm_for() at the edges", { number = "H2", points = 1, visibility = "after_due_date",
  hide_errors = "vmm_for() was wrong for a machine that leaves user_sensitive out, has no sensitive instruction,"
    .. " or has a privileged instruction that is sensitive in supervisor mode only." }, function()
  lab.answer(answer, "vmm_for", "function")
  local right = score(edges)
  partial(right / #edges)
  expect(right, "unseen machines answered right", "count"):to_equal(#edges)
end)
