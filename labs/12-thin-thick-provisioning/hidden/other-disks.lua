-- Instructor-only: used_at_creation on disk sizes the public checks do not try, and
-- recover(env)'s actions on another full datastore (other sizes, other names, a VM in
-- env.paused that never paused). Never shipped to students; `hyperlab pack` puts it only in the autograder.
local shared = ...
local answer = lab.submission("answer.lua")
local bytes_of = lab.size_of

-- One disk of each type and size on a roomy datastore, measured right after creation.
local roomy = lab.datastore{ name = "hidden-ds1", capacity = "8 TiB", kind = "san" }
local h = lab.host{ name = "hidden-esx1", cpus = 8, memory = "64 GiB", datastores = { roomy } }
local cases = {}
for _, size in ipairs({ "24 GiB", "100 GiB", "1.5 TiB" }) do
  for _, kind in ipairs({ "thin", "thick-lazy", "thick-eager" }) do
    local vm = h:create_vm{ name = ("hidden-%s-%s"):format(kind, size:gsub("[ .]", "")), memory = "1 GiB",
                            mem = { reservation = "1 GiB" }, disks = { { size = size, provisioning = kind } } }
    cases[#cases + 1] = { kind = kind, size = lab.bytes(size), used = vm.disks[1].used }
  end
end

check("used_at_creation on other disk sizes", { number = "H1", points = 1, visibility = "after_due_date",
  hide_errors = "used_at_creation gave a wrong size for a disk size the public checks do not try." }, function()
  local fn = lab.answer(answer, "used_at_creation")
  local right = 0
  for _, c in ipairs(cases) do
    local ok, got = pcall(fn, c.kind, c.size)
    if ok and bytes_of(got) == c.used then
      right = right + 1
    else
      print(("H1 used_at_creation(%q, %s): the datastore shows %s, the submission %s"):format(c.kind,
        lab.format.bytes(c.size), lab.format.bytes(c.used), tostring(got)))
    end
  end
  partial(right / #cases)
  expect(right, "unseen disks answered right", "count"):to_equal(#cases)
end)

-- A 60 GiB datastore: a thin test VM whose snapshot "before-patch" holds an 8 GiB delta,
-- a quiet thin VM that writes little, and two thin app servers that fill the datastore.
local small = lab.datastore{ name = "hidden-ds2", capacity = "60 GiB", kind = "ssd" }
local h2 = lab.host{ name = "hidden-esx2", cpus = 8, memory = "64 GiB", datastores = { small } }
local function vm(name, size)
  local v = h2:create_vm{ name = "hidden-" .. name, memory = "1 GiB", mem = { reservation = "1 GiB" },
                          disks = { { size = size, provisioning = "thin" } } }
  v:power_on()
  return v
end
local test = vm("test", "16 GiB")
test:run(lab.workload.disk{ write = "8 GiB", rate = "1 GB/s" })
lab.run_for("1 min")
test:snapshot("before-patch")
test:run(lab.workload.disk{ write = "8 GiB", rate = "1 GB/s", rewrite = true })
lab.run_for("1 min")
local quiet, app1, app2 = vm("quiet", "30 GiB"), vm("app1", "40 GiB"), vm("app2", "40 GiB")
quiet:run(lab.workload.disk{ write = "2 GiB", rate = "100 MB/s" })
app1:run(lab.workload.disk{ write = "35 GiB", rate = "100 MB/s" })
app2:run(lab.workload.disk{ write = "35 GiB", rate = "100 MB/s" })
lab.run_for("20 min")
local env_paused = { quiet, app1, app2 }
local was_paused = {}
for i, v in ipairs(env_paused) do was_paused[i] = v.state == "paused" end
print(("H2 before recover: %s; free %s"):format(table.concat((function()
  local t = {}
  for _, v in ipairs(env_paused) do t[#t + 1] = v.name .. " " .. v.state end
  return t
end)(), ", "), lab.format.bytes(small.free)))

local read_actions, apply_actions, off_among = shared.read_actions, shared.apply_actions, shared.off_among

check("recover(env) on another full datastore", { number = "H2", points = 2, visibility = "after_due_date",
  hide_errors = "On another full datastore, recover(env) failed or returned actions the lab could not apply, left "
             .. "a VM paused or off, kept the snapshot that was no longer needed, or the VMs could not write again." },
  function()
  expect(was_paused[2] and was_paused[3], "the app servers paused (scenario)"):to_be_true()
  local fn = lab.answer(answer, "recover")
  local vms = {}
  for _, v in ipairs(h2.vms) do vms[v.name] = v end
  local ok, list = pcall(fn, { paused = env_paused, test = test, datastore = small })
  if not ok then error("recover(env) failed: " .. tostring(list), 0) end
  apply_actions(read_actions(list, vms, "recover(env)"), "recover(env)")
  local before = {}
  for i, v in ipairs(env_paused) do
    expect(v.state, v.name .. "'s state after the actions"):to_equal("on")
    before[i] = v.disks[1].written
  end
  expect(off_among(h2.vms), "VMs off after the actions"):to_equal("(none)")
  expect(test.snapshots, "the test VM's snapshots after the actions"):to_equal({})
  lab.run_for("30 s")
  for i = 2, 3 do
    expect(env_paused[i].disks[1].written > before[i], env_paused[i].name .. " wrote again"):to_be_true()
  end
end)
