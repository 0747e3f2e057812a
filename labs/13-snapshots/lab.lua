-- Lab 13: snapshots — deltas, what they cost on the datastore, revert and consolidation,
-- and what a snapshot changes for a VM on a nearly full datastore.
-- Every expected value comes from the simulated datastore; failed checks show students
-- their own value, whether it is too high or too low, and a hint.
local answer = lab.submission("answer.lua")
lab.reveal("direction")   -- numbers: also say too high or too low, never the value

local function size_of(name) return lab.answer_bytes(answer, name) end

-- A size as people read it, with the exact bytes when the rounded form would hide a difference.
local function show_bytes(v)
  local s = lab.format.bytes(v)
  local ok, back = pcall(lab.bytes, s)
  if ok and back == v then return s end
  return ("%s (%d bytes)"):format(s, math.floor(v))
end

-- A function the student wrote: anything else fails the check with one message.
local function student_function(name)
  local f = lab.answer(answer, name)
  if type(f) ~= "function" then
    error(("M.%s: a function was asked, got %s"):format(name, type(f) == "string" and ("%q"):format(f) or tostring(f)), 0)
  end
  return f
end

-- A true/false answer: missing answers fail the check with their name, other kinds are
-- reported once and count as wrong.
local function verdicts(questions)
  local right = 0
  for _, q in ipairs(questions) do
    local given = lab.answer(answer, q.name)
    if type(given) ~= "boolean" then
      lab.feedback(("M.%s: %s is not true or false"):format(q.name,
        type(given) == "string" and ("%q"):format(given) or tostring(given)))
    elseif given == q.truth then
      right = right + 1
    end
    print(("M.%s = %s, the model says %s"):format(q.name, tostring(given), tostring(q.truth)))
  end
  partial(right / #questions)
  expect(right, "answers right", "count"):to_equal(#questions)
end

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

local delta_hint = "After a snapshot, which writes land in the delta, and does writing the same block again take more room?"
check("the delta after the upgrade", { number = "1.1", points = 1, hint = delta_hint }, function()
  expect(size_of("delta_after_upgrade"), "the delta after the upgrade", "bytes"):to_equal(delta_after_upgrade)
end)
check("the delta after new data", { number = "1.2", points = 1, hint = delta_hint }, function()
  expect(size_of("delta_after_new"), "the delta after 1 GiB of new data", "bytes"):to_equal(delta_after_new)
end)
check("the delta after two full rewrites", { number = "1.3", points = 1, hint = delta_hint }, function()
  expect(size_of("delta_after_two_passes"), "the delta after two full rewrites", "bytes"):to_equal(delta_after_passes)
end)

-- delta_size(data, rewritten, new) on the two situations above, measured on db, and on a
-- test VM that holds 5 GiB when its snapshot is taken, rewrites 12 GiB, then writes 2 GiB new.
local test = h:create_vm{ name = "test", memory = "1 GiB", mem = { reservation = "1 GiB" },
                          disks = { { size = "30 GiB", provisioning = "thin" } } }
test:power_on()
local function test_write(bytes, rewrite)
  local w = test:run(lab.workload.disk{ write = bytes, rate = "1 GB/s", rewrite = rewrite })
  lab.run_until(function() return not w.running end, "1 h")
end
test_write("5 GiB", false)
test:snapshot("s")
test_write("12 GiB", true)
test_write("2 GiB", false)
local test_delta = test.disks[1].deltas[1]
test:power_off()

local delta_cases = {
  { data = lab.bytes("8 GiB"), rewritten = lab.bytes("2 GiB"), new = 0, delta = delta_after_upgrade },
  { data = lab.bytes("8 GiB"), rewritten = lab.bytes("2 GiB"), new = lab.bytes("1 GiB"), delta = delta_after_new },
  { data = lab.bytes("5 GiB"), rewritten = lab.bytes("12 GiB"), new = lab.bytes("2 GiB"), delta = test_delta },
}
check("delta_size(data, rewritten, new)", { number = "1.4", points = 1, reveal = "value", hint = delta_hint }, function()
  local f = student_function("delta_size")
  local right = 0
  for _, c in ipairs(delta_cases) do
    local call = ("delta_size(%s, %s, %s)"):format(show_bytes(c.data), show_bytes(c.rewritten), show_bytes(c.new))
    local ok, got = pcall(f, c.data, c.rewritten, c.new)
    local b = ok and lab.size_of(got) or nil
    if not ok then
      lab.feedback(call .. " failed: " .. tostring(got))
    elseif b == nil then
      lab.feedback(("%s returned %s, which is not a size (give bytes or a string such as \"2 GiB\")")
        :format(call, tostring(got)))
    elseif math.abs(b - c.delta) <= lab.bytes("1 MiB") then
      right = right + 1
    else
      lab.feedback(("%s returned %s: not the delta's size (%s)"):format(call, show_bytes(b),
        b > c.delta and "too high" or "too low"))
    end
    print(("%s: answered %s, the delta is %s"):format(call, tostring(got), show_bytes(c.delta)))
  end
  partial(right / #delta_cases)
  expect(right, "cases answered right", "count"):to_equal(#delta_cases)
end)

db:snapshot("after-upgrade")
db:snapshot("after-tests")
local provisioned = db.disks[1].provisioned

check("the worst case", { number = "2", points = 1,
  hint = "Count the files the disk has now, the base and one delta per snapshot: how large may each become?" }, function()
  expect(size_of("provisioned_with_three_snapshots"), "what the disk may grow to with 3 snapshots", "bytes")
    :to_equal(provisioned)
end)

db:power_off()
local used_before_revert = ds.used
db:revert("before-upgrade")
local freed_by_revert = used_before_revert - ds.used
local data_after_revert = db.disks[1].written

local revert_hint = "What does a revert throw away, and what was on the disk when the snapshot was taken?"
check("space freed by the revert", { number = "3.1", points = 1, hint = revert_hint }, function()
  expect(size_of("freed_by_revert"), "space freed by reverting to before-upgrade", "bytes"):to_equal(freed_by_revert)
end)
check("data after the revert", { number = "3.2", points = 1, hint = revert_hint }, function()
  expect(size_of("data_after_revert"), "data on the disk after the revert", "bytes"):to_equal(data_after_revert)
end)

-- A thick-provisioned VM on a small datastore, first without a snapshot, then with one.
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

check("snapshots and out-of-space", { number = "4", points = 2, reveal = "value",
  hint = "Which writes need new blocks on the datastore, and how much room is left on it for them?" }, function()
  verdicts{
    { name = "thick_pauses_without_snapshot", truth = paused_without_snapshot },
    { name = "thick_pauses_with_snapshot", truth = paused_with_snapshot },
  }
end)

check("consolidation", { number = "5", points = 2,
  hint = "A paused VM needs space back and an answer to its question: look at vm.question, vm.snapshots "
    .. "and what deleting a snapshot does to its delta (docs/storage.md)." }, function()
  local consolidate = student_function("consolidate")
  local ok, err = pcall(consolidate, erp)
  expect(not ok and tostring(err) or nil, "consolidate(erp) raised an error"):to_be_nil()
  expect(erp.snapshots, "erp's snapshots"):to_equal({})
  expect(erp.state, "erp's state"):to_equal("on")
  expect(erp.disks[1].used, "erp's disk on the datastore", "bytes"):to_equal(erp.disks[1].size)
end)
