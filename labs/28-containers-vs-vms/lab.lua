-- Lab 28: containers against VMs and microVMs on the same machine: start-up, memory per
-- instance, density and one isolation consequence. Every verdict comes from simulated
-- machines: a Linux node running containers, and KVM hosts running microVMs and full VMs.
local answer = lab.submission("answer.lua", { simulate = false })
lab.reveal("direction")
lab.profile("kvm")

local KINDS = { "container", "microvm", "vm" }
local made = 0

-- A fresh machine of `cores` cores and `memory` bytes: a Linux node without hypervisor
-- (containers, no swap) or a KVM host (microVMs, VMs).
local function machine(prefix, kind, cores, memory)
  made = made + 1
  local name = ("%s%s%d"):format(prefix, kind == "container" and "node" or "kvm", made)
  if kind == "container" then
    return lab.host{ name = name, cpus = cores, memory = memory, hypervisor = "none", swap = 0 }
  end
  return lab.host{ name = name, cpus = cores, memory = memory }
end

-- The service's image for a working set of `size` bytes, made once per size, and a node
-- that already holds it (one container started and stopped), so no pull is timed.
local images = {}
local function image(size)
  local key = tostring(size)
  if not images[key] then
    images[key] = lab.image{ name = "svc-" .. key, layers = { "80 MiB", "40 MiB" }, memory = size }
  end
  return images[key]
end
local function warm(node, img)
  local k = node:run_container{ name = node.name .. "-warm", image = img }
  lab.run_for("2 s")
  k:stop()
  lab.run_for("1 s")
end

-- Starts `n` instances of `kind` (`size` = the container's working set or the guest
-- memory) on `host`; returns them and when they were asked for.
local function start(host, kind, n, size)
  local out, t0 = {}, lab.now()
  for i = 1, n do
    local name = ("%s-%s%d"):format(host.name, kind, i)
    if kind == "container" then
      out[i] = host:run_container{ name = name, image = image(size) }
    elseif kind == "microvm" then
      out[i] = host:create_microvm{ name = name, memory = size }
    else
      out[i] = host:create_vm{ name = name, memory = size }
      out[i]:power_on()
    end
  end
  return out, t0
end

-- When an instance serves: a container running, a microVM's guest at /sbin/init, a VM's
-- guest booted (VMware Tools running); nil while it does not yet.
local function serving_at(kind, x)
  if kind == "container" then return x.state == "running" and x.started_at or nil end
  if kind == "microvm" then return x.microvm.state == "running" and x.microvm.init_time or nil end
  return x.tools_ready and x.tools_ready_at or nil
end

-- Seconds from asking for `n` instances on a machine of `cores` cores until all serve.
local function measure_ready(prefix, kind, n, cores, size)
  local host = machine(prefix, kind, cores, "512 GiB")
  if kind == "container" then warm(host, image(size)) end
  local xs, t0 = start(host, kind, n, size)
  local last
  for _ = 1, 600 do
    lab.run_for("0.5 s")
    last = 0
    for _, x in ipairs(xs) do
      local t = serving_at(kind, x)
      if not t then last = nil break end
      last = math.max(last, t)
    end
    if last then break end
  end
  return last and last - t0, host, xs
end

-- Machine memory one instance needs so that nothing is over-committed: what the node's
-- kernel charges per container, or what a fully reserved (micro)VM holds on its host.
local function measure_cost(prefix, kind, size)
  local host = machine(prefix, kind, 4, "64 GiB")
  local xs = start(host, kind, 4, size)
  lab.run_for("2 s")
  if kind == "container" then return host.kernel.memory_used / #xs end
  for _, vm in ipairs(xs) do vm.memory.reservation = vm.memory.configured end
  return host.memory.reserved / #xs
end

-- How many instances a machine of `memory` bytes holds: containers until the kernel's
-- OOM killer has to kill, (micro)VMs fully reserved until admission control refuses.
local function measure_fit(prefix, kind, size, memory)
  local host = machine(prefix, kind, 8, memory)
  -- No instance costs less than its size, so one more than memory ÷ size is enough to try.
  local xs = start(host, kind, lab.bytes(memory) // lab.bytes(size) + 1, size)
  if kind == "vm" then
    local fit = 0
    for _, vm in ipairs(xs) do vm:power_off() end
    for _, vm in ipairs(xs) do
      if not pcall(function() vm.memory.reservation = vm.memory.configured end) or not pcall(vm.power_on, vm) then break end
      fit = fit + 1
    end
    return fit
  end
  for _ = 1, 600 do
    lab.run_for("1 s")
    local pending = false
    for _, x in ipairs(xs) do
      local st = kind == "container" and x.state or x.microvm.state
      if st == "starting" or st == "queued" or st == "booting" then pending = true break end
    end
    if not pending then break end
  end
  local fit = 0
  if kind == "container" then
    for _, k in ipairs(xs) do if k.state == "running" then fit = fit + 1 end end
    return fit
  end
  -- Reserve each microVM's memory in turn; when admission control refuses, power off the
  -- last unreserved one (its VMM's overhead is reserved too) and try again.
  local last, i = #xs, 1
  while i <= last do
    local vm = xs[i]
    if vm.microvm.state == "running" and pcall(function() vm.memory.reservation = vm.memory.configured end) then
      fit, i = fit + 1, i + 1
    elseif last > i then
      xs[last]:power_off()
      last = last - 1
    else
      break
    end
  end
  return fit
end

local function near(a, b, rel, abs) return a and math.abs(a - b) <= math.max(abs or 0, rel * math.abs(b)) end

local function show(v) return type(v) == "string" and ("%q"):format(v) or tostring(v) end

-- Scores the student's functions on `cases`: { what, kind, a, b, c } with what "ready"
-- (n, cores), "cost" (size) or "fit" (size, memory). Returns the number right.
local function score(cases, public, prefix)
  local tell = public and lab.feedback_once or function() end
  local right = 0
  for _, c in ipairs(cases) do
    local what, kind = c[1], c[2]
    local fname = ({ ready = "ready_time", cost = "per_instance", fit = "density" })[what]
    local f = lab.answer(answer, fname, "function")
    local args, want, got, ok, shown
    if what == "ready" then
      args = ("%q, %d, %d"):format(kind, c[3], c[4])
      want = measure_ready(prefix, kind, c[3], c[4], c[5])
      ok, got = pcall(f, kind, c[3], c[4])
      if ok then
        local raw = got
        got = (type(raw) == "number" and raw) or select(2, pcall(lab.seconds, raw))
        shown = type(got) == "number" and lab.format.seconds(got) or show(raw)
      end
      ok = ok and type(got) == "number" and near(got, want, 0.01, 0.005)
    elseif what == "cost" then
      args = ("%q, %s"):format(kind, lab.format.bytes(c[3]))
      want = measure_cost(prefix, kind, c[3])
      ok, got = pcall(f, kind, c[3])
      if ok then
        local raw = got
        got = lab.size_of(raw)
        shown = got and lab.format.bytes(got) or show(raw)
      end
      ok = ok and got and near(got, want, 0.01, lab.bytes("0.5 MiB"))
    else
      args = ("%q, %s, %s"):format(kind, lab.format.bytes(c[3]), lab.format.bytes(c[4]))
      want = measure_fit(prefix, kind, c[3], c[4])
      ok, got = pcall(f, kind, c[3], c[4])
      ok = ok and math.type(tonumber(got)) and tonumber(got) == want
    end
    local call = ("%s(%s)"):format(fname, args)
    shown = shown or show(got)
    print(call, "expected", want, "got", shown)
    if ok then right = right + 1 else tell(call, ("%s returned %s: not the right value"):format(call, shown)) end
  end
  return right
end

-- The public scenario: one machine of 8 cores and 16 GiB, 100 instances of a small
-- service: 64 MiB resident in a container, a 128 MiB microVM, a 1 GiB VM (1 vCPU each).
local CORES, N, MEMORY = 8, 100, "16 GiB"
local SIZE = { container = lab.bytes("64 MiB"), microvm = lab.bytes("128 MiB"), vm = lab.bytes("1 GiB") }
local worlds = {}

check("start-up: all 100 serving (M.ready_container, M.ready_microvm, M.ready_vm)",
  { number = "1", points = 3,
    hint = "Which of the three start in parallel, and which wait for a queue on the host? What does each wait "
        .. "for before it serves: a process, a minimal kernel, a full guest OS?" }, function()
  local right, later = 0, {}
  for _, kind in ipairs(KINDS) do
    local want, host, xs = measure_ready("", kind, N, CORES, SIZE[kind])
    worlds[kind] = { host = host, xs = xs }
    print(kind, "all serving after", want, "s")
    local got = lab.answer(answer, "ready_" .. kind, "seconds")
    if near(got, want, 0.01, 0.005) then right = right + 1 end
    later[#later + 1] = function()
      expect(got, "M.ready_" .. kind, "seconds"):to_be_near(want, math.max(0.005, 0.01 * want))
    end
  end
  partial(right / #KINDS)
  for _, e in ipairs(later) do e() end
end)

check("memory per instance (M.cost_container, M.cost_microvm, M.cost_vm)",
  { number = "2", points = 3,
    hint = "Beside the service's own memory, what does each kind cost the machine: the kernel's bookkeeping for a "
        .. "container, the VMM process for a microVM, the hypervisor's overhead for a VM? And how much of a "
        .. "guest's memory must be backed when nothing is over-committed?" }, function()
  local right, later = 0, {}
  for _, kind in ipairs(KINDS) do
    local want = measure_cost("", kind, SIZE[kind])
    print(kind, "per instance", lab.format.bytes(want))
    local got = lab.answer(answer, "cost_" .. kind, "bytes")
    if near(got, want, 0.01, lab.bytes("0.5 MiB")) then right = right + 1 end
    later[#later + 1] = function()
      expect(got, "M.cost_" .. kind, "bytes"):to_be_near(want, math.max(lab.bytes("0.5 MiB"), 0.01 * want))
    end
  end
  partial(right / #KINDS)
  for _, e in ipairs(later) do e() end
end)

check("density: how many fit in 16 GiB (M.fit_container, M.fit_microvm, M.fit_vm)",
  { number = "3", points = 3,
    hint = "Whole instances only. Containers are refused by nobody: what happens when they outgrow the node's "
        .. "memory? VMs with all their memory reserved meet admission control instead." }, function()
  local right, later = 0, {}
  for _, kind in ipairs(KINDS) do
    local want = measure_fit("", kind, SIZE[kind], MEMORY)
    print(kind, "fit", want)
    local got = lab.answer(answer, "fit_" .. kind, "count")
    if got == want then right = right + 1 end
    later[#later + 1] = function() expect(got, "M.fit_" .. kind, "count"):to_equal(want) end
  end
  partial(right / #KINDS)
  for _, e in ipairs(later) do e() end
end)

check("your functions on other cases: ready_time, per_instance, density",
  { number = "4", points = 3, reveal = "value",
    hint = "Compute from the arguments: the number of instances and cores, the service's or guest's size, the "
        .. "machine's memory. Hidden checks call them with other values." }, function()
  local cases = {
    { "ready", "microvm", 300, 4, lab.bytes("128 MiB") }, { "ready", "container", 300, 4, lab.bytes("64 MiB") },
    { "ready", "vm", 12, 4, lab.bytes("1 GiB") },
    { "cost", "container", lab.bytes("200 MiB") }, { "cost", "microvm", lab.bytes("256 MiB") },
    { "cost", "vm", lab.bytes("2 GiB") },
    { "fit", "container", lab.bytes("200 MiB"), lab.bytes("8 GiB") },
    { "fit", "microvm", lab.bytes("256 MiB"), lab.bytes("8 GiB") },
    { "fit", "vm", lab.bytes("2 GiB"), lab.bytes("8 GiB") } }
  local right = score(cases, true, "f-")
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

check("isolation: a kernel panic against a VM crash (M.panic_stops, M.crash_stops)",
  { number = "5", points = 2,
    hint = "What do the 100 containers share that the 100 microVMs do not? Count the instances that stop serving." },
  function()
  for _, kind in ipairs({ "container", "microvm" }) do
    if not worlds[kind] then
      local _, host, xs = measure_ready("i-", kind, N, CORES, SIZE[kind])
      worlds[kind] = { host = host, xs = xs }
    end
  end
  local node = worlds.container.host
  node:panic()
  worlds.microvm.xs[1]:crash()
  lab.run_for("1 s")
  local stopped_k, stopped_m = 0, 0
  for _, k in ipairs(node.kernel.containers) do
    if k.state ~= "running" and k.reason and k.reason:find("panic") then stopped_k = stopped_k + 1 end
  end
  for _, vm in ipairs(worlds.microvm.xs) do if vm.state ~= "on" then stopped_m = stopped_m + 1 end end
  print("panic stopped", stopped_k, "containers; crash stopped", stopped_m, "microVMs")
  expect(lab.answer(answer, "panic_stops", "count"), "M.panic_stops", "count"):to_equal(stopped_k)
  expect(lab.answer(answer, "crash_stops", "count"), "M.crash_stops", "count"):to_equal(stopped_m)
end)

return { score = score }
