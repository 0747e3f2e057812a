-- Lab 14: templates, full clones and linked clones — what deploying from a template
-- costs in time and space, and what a clone keeps of its template.
-- Every expected value comes from the simulated datastore and VMs; failed checks show
-- students their own value, whether it is too high or too low, and a hint.
local answer = lab.submission("answer.lua", { simulate = false })
lab.reveal("direction")   -- numbers: also say too high or too low, never the value

local function size_of(name) return lab.answer_bytes(answer, name) end

-- Quantities as people read them, with the exact figure when the rounded form would hide a difference.
local function show_bytes(v)
  local s = lab.format.bytes(v)
  local ok, back = pcall(lab.bytes, s)
  if ok and back == v then return s end
  return ("%s (%d bytes)"):format(s, math.floor(v))
end
local function show_rate(v) return ("%s/s"):format(lab.format.bytes(v):gsub("i?B$", "B")) end

-- A function the student wrote: anything else fails the check with one message.
local function student_function(name)
  local f = lab.answer(answer, name)
  if type(f) ~= "function" then
    error(("M.%s: a function was asked, got %s"):format(name, type(f) == "string" and ("%q"):format(f) or tostring(f)), 0)
  end
  return f
end

-- Tries a student function on cases; feedback names the case and the student's value only.
-- `convert` turns a returned value into a number (nil when it is not of the right kind).
local function try_cases(f, cases, convert, kind, close, show)
  local right = 0
  for _, c in ipairs(cases) do
    local ok, got = pcall(f, table.unpack(c.args, 1, c.args.n or #c.args))
    local v = ok and convert(got) or nil
    if not ok then
      lab.feedback(c.call .. " failed: " .. tostring(got))
    elseif v == nil then
      lab.feedback(("%s returned %s, which is not %s"):format(c.call,
        type(got) == "string" and ("%q"):format(got) or tostring(got), kind))
    elseif close(v, c.truth) then
      right = right + 1
    else
      lab.feedback(("%s returned %s: not the right value (%s)"):format(c.call, show(v), v > c.truth and "too high" or "too low"))
    end
    print(("%s: answered %s, the model gives %s"):format(c.call, tostring(got), show(c.truth)))
  end
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end

local function seconds_of(v)
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local ok, s = pcall(lab.seconds, v)
  return ok and s or nil
end
local function within_5_percent(v, truth) return math.abs(v - truth) <= 0.05 * truth end
local function within_1_mib(v, truth) return math.abs(v - truth) <= lab.bytes("1 MiB") end
local function show_seconds(v) return ("%.1f s"):format(v) end

-- A true/false answer per question; missing answers fail the check with their name.
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

-- A web appliance: 2 vCPUs, 4 GiB with 2 GiB reserved and high memory shares, a 40 GiB
-- thin disk holding 12 GiB (its OS and application), on a SAN datastore.
local san = lab.datastore{ name = "SAN1", capacity = "2 TiB", kind = "san" }
local bandwidth = lab.bytes("300 MiB")   -- a SAN datastore writes 300 MB/s (docs/storage.md)
local data = lab.bytes("12 GiB")
local h = lab.host{ name = "esx01", cpus = 16, memory = "128 GiB", datastores = { san } }
local gold = h:create_vm{ name = "web-gold", vcpus = 2, memory = "4 GiB",
                          mem = { reservation = "2 GiB", shares = "high" },
                          disks = { { size = "40 GiB", provisioning = "thin" } } }
gold:power_on()
local install = gold:run(lab.workload.disk{ write = data, rate = "1 GB/s" })
lab.run_until(function() return not install.running end, "1 h")
gold:power_off()
local linked_of_plain_vm = pcall(gold.clone, gold, { name = "try", linked = true })
gold:to_template()
local template_powers_on = pcall(gold.power_on, gold)

local first = gold:clone{ name = "web-full-1" }
local t0 = lab.now()
lab.run_until(function() return first.disks[1].ready end, "1 h")
local full_clone_seconds = lab.now() - t0

check("a template", { number = "1", points = 2, reveal = "value",
  hint = "Try it in a script of your own: what do power_on and clone{ linked = true } do on a template, "
    .. "and on a VM that is not one? (pcall shows the error)" }, function()
  verdicts{
    { name = "template_powers_on", truth = template_powers_on },
    { name = "linked_clone_of_a_plain_vm", truth = linked_of_plain_vm },
  }
end)

local time_hint = "What must a full clone write before it can power on, and how fast does this datastore write? "
  .. "When several clones are deployed at once, what do they share?"
check("a full clone takes time", { number = "2.1", points = 1, hint = time_hint }, function()
  expect(lab.answer(answer, "full_clone_seconds", "seconds"), "seconds to deploy a full clone", "seconds")
    :to_be_near(full_clone_seconds, "5%")
end)

-- Nine more full clones at once, and ten linked clones.
local full, linked = { first }, {}
local t1 = lab.now()
for i = 2, 10 do full[i] = gold:clone{ name = "web-full-" .. i } end
for i = 1, 10 do linked[i] = gold:clone{ name = "web-linked-" .. i, linked = true } end
lab.run_until(function()
  for i = 2, 10 do if not full[i].disks[1].ready then return false end end
  return true
end, "1 h")
local nine_seconds = lab.now() - t1
lab.run_for("5 min")

check("deploy_seconds(data, bandwidth, clones)", { number = "2.2", points = 1, reveal = "value", hint = time_hint },
  function()
  local f = student_function("deploy_seconds")
  local function case(n, truth)
    return { args = { data, bandwidth, n }, truth = truth,
             call = ("deploy_seconds(%s, %s, %d)"):format(show_bytes(data), show_rate(bandwidth), n) }
  end
  try_cases(f, { case(1, full_clone_seconds), case(9, nine_seconds) }, seconds_of,
            "a duration (give seconds or a string such as \"2 min\")", within_5_percent, show_seconds)
end)

-- What the clones' own disk files take on the datastore (not the template's files).
local function disk_space(list)
  local total = 0
  for _, vm in ipairs(list) do total = total + vm.disks[1].used end
  return total
end
local full_space, linked_space = disk_space(full), disk_space(linked)

local space_hint = "What does each kind of clone hold in files of its own right after it is deployed, "
  .. "and what does it leave on the template's disk?"
check("space of ten full clones", { number = "3.1", points = 1, hint = space_hint }, function()
  expect(size_of("ten_full_clones_space"), "disk space of ten full clones", "bytes"):to_equal(full_space)
end)
check("space of ten linked clones", { number = "3.2", points = 1, hint = space_hint }, function()
  expect(size_of("ten_linked_clones_space"), "disk space of ten linked clones", "bytes"):to_equal(linked_space)
end)

-- Each linked clone powers on and its application rewrites 1 GiB of the shared data.
local rewritten = lab.bytes("1 GiB")
for _, vm in ipairs(linked) do
  vm:power_on()
  vm:run(lab.workload.disk{ write = rewritten, rate = "200 MB/s", rewrite = true })
end
lab.run_for("10 min")
local linked_after = disk_space(linked)
local template_after = gold.disks[1].used

local write_hint = "The template's disk is shared by ten clones: where can a clone's write go? "
  .. "And does rewriting a block twice take more room?"
check("linked clones write to their deltas", { number = "4.1", points = 1, hint = write_hint }, function()
  expect(size_of("linked_space_after_writes"), "disk space of the ten linked clones after the writes", "bytes")
    :to_equal(linked_after)
end)
check("the template after the writes", { number = "4.2", points = 1, hint = write_hint }, function()
  expect(size_of("template_space_after_writes"), "the template's disk after the writes", "bytes"):to_equal(template_after)
end)

check("clones_space(clones, linked, data, rewritten)", { number = "4.3", points = 1, reveal = "value",
  hint = space_hint }, function()
  local f = student_function("clones_space")
  local function case(linked_clones, rw, truth)
    return { args = { 10, linked_clones, data, rw }, truth = truth,
             call = ("clones_space(10, %s, %s, %s)"):format(tostring(linked_clones), show_bytes(data), show_bytes(rw)) }
  end
  try_cases(f, { case(false, 0, full_space), case(true, 0, linked_space), case(true, rewritten, linked_after) },
            lab.size_of, "a size (give bytes or a string such as \"2 GiB\")", within_1_mib, show_bytes)
end)

local settings_hint = "What does a deployed VM take from its template? Compare a clone's vm.vcpus and vm.memory "
  .. "with the template's in a script of your own."
check("a clone's memory reservation", { number = "5.1", points = 1, hint = settings_hint }, function()
  expect(size_of("clone_reservation"), "a clone's memory reservation", "bytes"):to_equal(linked[1].memory.reservation)
end)
check("a clone's vCPUs", { number = "5.2", points = 1, hint = settings_hint }, function()
  expect(lab.answer(answer, "clone_vcpus", "count"), "a clone's vCPUs", "count"):to_equal(linked[1].vcpus)
end)
