-- Lab 13: snapshots — deltas, what they cost on the datastore, revert and consolidation,
-- and how a snapshot can make even a thick-provisioned VM run out of space.
local answer = lab.submission("answer.lua")

local function size_of(name) return lab.answer_bytes(answer, name) end

local ds = lab.datastore{ name = "ds1", capacity = "500 GiB", kind = "ssd" }
local h = lab.host{ name = "esx01", cpus = 8, memory = "64 GiB", datastores = { ds } }
local db = h:create_vm{ name = "db", memory = "2 GiB", mem = { reservation = "2 GiB" },
                        disks = { { size = "20 GiB", provisioning = "thin" } } }
db:power_on()
local function write(bytes, rewrite)
  local w = db:run(lab.workload.disk{ write = bytes, rate = "1 GB/s", rewrite = rewrite })
  lab.run_until(function() return not w.running end, "1 h")
end
write("8 GiB", false)
db:snapshot("before-upgrade")
write("2 GiB", true)                      -- the upgrade rewrites 2 GiB of existing data
local delta_after_upgrade = db.disks[1].deltas[1]
write("1 GiB", false)                     -- and adds 1 GiB of new data
local delta_after_new = db.disks[1].deltas[1]
write("9 GiB", true)                      -- a full pass over the 9 GiB of data
write("9 GiB", true)                      -- and another
local delta_after_passes = db.disks[1].deltas[1]

check("deltas grow with new blocks", { number = "1", points = 3,
  hint = "After a snapshot every write goes to the delta; a block is copied there once." }, function()
  expect(size_of("delta_after_upgrade"), "the delta after the upgrade", "bytes"):to_equal(delta_after_upgrade)
  expect(size_of("delta_after_new"), "the delta after 1 GiB of new data", "bytes"):to_equal(delta_after_new)
  expect(size_of("delta_after_two_passes"), "the delta after two full rewrites", "bytes"):to_equal(delta_after_passes)
end)

db:snapshot("after-upgrade")
db:snapshot("after-tests")
local provisioned = db.disks[1].provisioned

check("the worst case", { number = "2", points = 1,
  hint = "Each delta may grow to the size of its base disk." }, function()
  expect(size_of("provisioned_with_three_snapshots"), "what the disk may grow to with 3 snapshots", "bytes")
    :to_equal(provisioned)
end)

db:power_off()
local used_before_revert = ds.used
db:revert("before-upgrade")
local freed_by_revert = used_before_revert - ds.used
local data_after_revert = db.disks[1].written

check("revert", { number = "3", points = 2,
  hint = "Reverting discards what was written since the snapshot." }, function()
  expect(size_of("freed_by_revert"), "space freed by reverting to before-upgrade", "bytes"):to_equal(freed_by_revert)
  expect(size_of("data_after_revert"), "data on the disk after the revert", "bytes"):to_equal(data_after_revert)
  expect(db.snapshots, "snapshots left"):to_equal({ "before-upgrade" })
end)

-- A thick-provisioned VM on a nearly full datastore: it never needs new blocks... until
-- it has a snapshot.
local tight = lab.datastore{ name = "tight", capacity = "24 GiB", kind = "ssd" }
local h2 = lab.host{ name = "esx02", cpus = 8, memory = "64 GiB", datastores = { tight } }
local erp = h2:create_vm{ name = "erp", memory = "2 GiB", mem = { reservation = "2 GiB" },
                          disks = { { size = "20 GiB", provisioning = "thick-lazy" } } }
erp:power_on()
erp:run(lab.workload.disk{ write = "15 GiB", rate = "1 GB/s" })
lab.run_for("2 min")
local paused_without_snapshot = erp.state == "paused"
erp:snapshot("backup")
erp:run(lab.workload.disk{ write = "10 GiB", rate = "1 GB/s", rewrite = true })
lab.run_for("2 min")
local paused_with_snapshot = erp.state == "paused"

check("snapshots and out-of-space", { number = "4", points = 2,
  hint = "A thick disk's blocks are allocated, but its delta's are not." }, function()
  expect(answer.thick_pauses_without_snapshot, "M.thick_pauses_without_snapshot"):to_equal(paused_without_snapshot)
  expect(answer.thick_pauses_with_snapshot, "M.thick_pauses_with_snapshot"):to_equal(paused_with_snapshot)
end)

check("consolidation", { number = "5", points = 2, depends = "snapshots and out-of-space",
  hint = "Deleting a snapshot merges its delta into the base; blocks the base already had take no new space." }, function()
  expect(answer.consolidate, "M.consolidate"):to_be_set()
  local ok, err = pcall(answer.consolidate, erp)
  expect(ok, "consolidate ran without an error: " .. tostring(err)):to_be_true()
  expect(erp.snapshots, "erp's snapshots"):to_equal({})
  expect(erp.state, "erp"):to_equal("on")
  expect(erp.disks[1].used, "erp's disk"):to_equal(lab.bytes("20 GiB"))
end)
