-- Lab 17: vSphere HA and Fault Tolerance — slot-based admission control, what a host
-- failure does to protected, fault-tolerant and unprotected VMs.
local answer = lab.submission("answer.lua")


-- The lecture's cluster: hosts of 9 GHz / 9 GB, 9 GHz / 6 GB and 6 GHz / 6 GB, five VMs
-- reserving 2/1, 2/1, 1/2, 1/1 and 1/1 (GHz/GB); HA tolerates one host failure.
local sizes = { { 9, 9 }, { 9, 6 }, { 6, 6 } }
local hosts = {}
for i, s in ipairs(sizes) do
  hosts[i] = lab.host{ name = "esx" .. i, cpus = 3, mhz = s[1] * 1000 / 3, memory = s[2] .. " GiB" }
end
local c = lab.cluster{ name = "prod", hosts = hosts }
local n = 0
local function vm(host, ghz, gb)
  n = n + 1
  return host:create_vm{ name = "vm" .. n, memory = gb .. " GiB",
                         cpu = { reservation = ghz * 1000 }, mem = { reservation = gb .. " GiB" } }
end
for _, v in ipairs({ { 1, 2, 1 }, { 1, 2, 1 }, { 2, 1, 2 }, { 2, 1, 1 }, { 3, 1, 1 } }) do
  vm(hosts[v[1]], v[2], v[3]):power_on()
end
c:enable_ha{ admission = "slots", failures = 1 }
local slot, capacity = c.slot, c.failover_capacity
local powered = 5
for _ = 1, 4 do
  if pcall(function() vm(hosts[3], 2, 2):power_on() end) then powered = powered + 1 end
end

check("HA slots", { number = "1", points = 4,
  hint = "Slot = the largest CPU and memory reservations; slots per host = min(CPU ÷ slot, memory ÷ slot)." }, function()
  expect(answer.slot_mhz, "M.slot_mhz"):to_equal(slot.cpu)
  expect(lab.size_of(answer.slot_memory), "M.slot_memory", "bytes"):to_equal(slot.memory)
  expect(answer.failover_capacity, "M.failover_capacity"):to_equal(capacity)
  expect(answer.vms_powered_on, "VMs running once admission control refuses more"):to_equal(powered)
end)

-- A failure: three hosts, a web VM protected by HA, a database with FT, and a GPU VM
-- with a pass-through device.
local prod = {}
for i = 1, 3 do prod[i] = lab.host{ name = "node" .. i, cpus = 8, memory = "64 GiB", passthrough_devices = 1 } end
local c2 = lab.cluster{ name = "ha", hosts = prod }
c2:enable_ha()
local web = prod[1]:create_vm{ name = "web", memory = "4 GiB" }
local db = prod[1]:create_vm{ name = "db", vcpus = 2, memory = "8 GiB" }
local gpu = prod[1]:create_vm{ name = "gpu", memory = "4 GiB", mem = { reservation = "4 GiB" },
                               devices = { { kind = "nic", adapter = "passthrough" } } }
for _, v in ipairs({ web, db, gpu }) do v:power_on(); v.guest:touch("2 GiB") end
db:enable_ft{ host = prod[2] }
lab.run_for("1 min")
local failed_at = lab.now()
prod[1]:fail()
local db_state_at_failure, db_memory = db.state, db.memory.consumed
lab.run_until(function() return web.state == "on" end, "10 min")
local web_down = lab.now() - failed_at
lab.run_for("1 min")

check("after a host failure", { number = "2", points = 4,
  hint = "HA restarts VMs after detecting the failure, and they boot again; FT's secondary takes over at once." }, function()
  expect(answer.web_downtime_seconds, "M.web_downtime_seconds"):to_be_set()
  expect(answer.web_downtime_seconds, "web's downtime", "seconds"):to_be_near(web_down, 1)
  expect(answer.db_downtime_seconds, "M.db_downtime_seconds"):to_equal(db_state_at_failure == "on" and 0 or -1)
  expect(lab.size_of(answer.web_memory_after_restart), "web's consumed memory after the restart", "bytes")
    :to_equal(web.memory.consumed)
  expect(lab.size_of(answer.db_memory_after_failover), "db's consumed memory after the failover", "bytes")
    :to_equal(db_memory)
end)

check("what stays down", { number = "3", points = 2,
  hint = "DirectPath I/O ties a VM to its host's device: no HA, no FT." }, function()
  expect(answer.gpu_state, "M.gpu_state"):to_equal(gpu.state)
  expect(answer.db_has_new_secondary, "M.db_has_new_secondary"):to_equal(db.ft ~= nil and db.ft.name ~= "node2")
end)
