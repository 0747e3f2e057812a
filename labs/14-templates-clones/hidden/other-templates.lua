-- Instructor-only: deploy_seconds and clones_space on templates, datastores and counts
-- the public checks do not try. Never shipped to students; `hyperlab pack` puts it only
-- in the autograder. Runs after lab.lua in the same world: names start with "h-".
local answer = lab.submission("answer.lua")

local bandwidth = { ssd = lab.bytes("400 MiB"), hdd = lab.bytes("120 MiB"), nfs = lab.bytes("100 MiB") }

-- A template holding `data` on a datastore of `kind`.
local n = 0
local function template(kind, data)
  n = n + 1
  local ds = lab.datastore{ name = "h-ds" .. n, capacity = "1 TiB", kind = kind }
  local h = lab.host{ name = "h-esx" .. n, cpus = 16, memory = "256 GiB", datastores = { ds } }
  local vm = h:create_vm{ name = "h-gold" .. n, vcpus = 1, memory = "1 GiB",
                          disks = { { size = "30 GiB", provisioning = "thin" } } }
  vm:power_on()
  local w = vm:run(lab.workload.disk{ write = data, rate = "1 GB/s" })
  lab.run_until(function() return not w.running end, "1 h")
  vm:power_off()
  vm:to_template()
  return vm
end

local function call(f, ...)
  local ok, got = pcall(f, ...)
  return ok, got
end

-- deploy_seconds: clones deployed at once, timed until all are ready (the model moves in
-- 1 s steps, so every case lasts 40 s or more).
local deploys = { { "ssd", "16 GiB", 1 }, { "ssd", "6 GiB", 4 }, { "nfs", "2 GiB", 2 }, { "hdd", "3 GiB", 3 } }
for i, d in ipairs(deploys) do
  local t = template(d[1], d[2])
  local clones = {}
  local t0 = lab.now()
  for k = 1, d[3] do clones[k] = t:clone{ name = ("h-full%d-%d"):format(i, k) } end
  lab.run_until(function()
    for _, c in ipairs(clones) do if not c.disks[1].ready then return false end end
    return true
  end, "2 h")
  d.seconds = lab.now() - t0
end

check("deploy_seconds on unseen datastores", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "deploy_seconds gave a wrong time for a template, datastore or number of clones the public checks do not try." },
  function()
  local right = 0
  for _, d in ipairs(deploys) do
    local ok, got = call(answer.deploy_seconds, lab.bytes(d[2]), bandwidth[d[1]], d[3])
    local s = nil
    if ok and type(got) == "number" then s = got
    elseif ok and type(got) == "string" then
      local okc, v = pcall(lab.seconds, got)
      s = okc and v or nil
    end
    if s and math.abs(s - d.seconds) <= 0.05 * d.seconds then right = right + 1 end
    print(("deploy_seconds(%s, %s, %d): answered %s, the model took %.1f s"):format(d[2], d[1], d[3], tostring(got), d.seconds))
  end
  partial(right / #deploys)
  expect(right, "unseen cases answered right", "count"):to_equal(#deploys)
end)

-- clones_space: full and linked clones of a 5 GiB template, each rewriting some of its data.
local t = template("san", "5 GiB")
local spaces = { { false, 3, "2 GiB" }, { true, 4, "2 GiB" }, { true, 2, "7 GiB" }, { true, 3, 0 }, { false, 2, 0 } }
for i, s in ipairs(spaces) do
  local clones = {}
  for k = 1, s[2] do clones[k] = t:clone{ name = ("h-clone%d-%d"):format(i, k), linked = s[1] } end
  lab.run_until(function()
    for _, c in ipairs(clones) do if not c.disks[1].ready then return false end end
    return true
  end, "2 h")
  if lab.bytes(s[3]) > 0 then
    local ws = {}
    for k, c in ipairs(clones) do
      c:power_on()
      ws[k] = c:run(lab.workload.disk{ write = s[3], rate = "1 GB/s", rewrite = true })
    end
    lab.run_until(function()
      for _, w in ipairs(ws) do if w.running then return false end end
      return true
    end, "2 h")
  end
  local total = 0
  for _, c in ipairs(clones) do
    total = total + c.disks[1].used
    if c.state == "on" then c:power_off() end
  end
  s.space = total
end

check("clones_space on an unseen template", { number = "H2", points = 2, visibility = "after_due_date",
  hide_errors = "clones_space gave a wrong size for a template, number of clones or rewrite the public checks do not try." },
  function()
  local right = 0
  for _, s in ipairs(spaces) do
    local ok, got = call(answer.clones_space, s[2], s[1], lab.bytes("5 GiB"), lab.bytes(s[3]))
    local b = ok and lab.size_of(got) or nil
    if b and math.abs(b - s.space) <= lab.bytes("1 MiB") then right = right + 1 end
    print(("clones_space(%d, %s, 5 GiB, %s): answered %s, the model has %s"):format(s[2], tostring(s[1]),
      lab.format.bytes(lab.bytes(s[3])), tostring(got), lab.format.bytes(s.space)))
  end
  partial(right / #spaces)
  expect(right, "unseen cases answered right", "count"):to_equal(#spaces)
end)
