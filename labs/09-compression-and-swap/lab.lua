-- Lab 09: compression and swapping — the order in which ESXi reclaims memory as free
-- memory falls, a VM without a balloon driver, reservations, and the swap files. The
-- verdicts come from the simulated hosts' event log, series and datastores; the two
-- answers the model cannot show are compared by hash, so this script does not give them.
local answer = lab.submission("answer.lua", { simulate = false })

local STATES = { high = true, clear = true, soft = true, hard = true, low = true }

-- A size answer: bytes or a string such as "1.5 GiB"; the check fails when it is missing.
local function size_of(name) return lab.answer_bytes(answer, name) end

-- A choice in lower case without surrounding spaces (other values as they are).
local function normal(v)
  if type(v) == "string" then v = v:lower():match("^%s*(.-)%s*$") end
  return v
end

-- A function answer: the check fails when it is missing or not a function.
local function function_of(name)
  return lab.answer(answer, name, "function")
end

-- Calls a function of the submission before the VMs it is about exist, so that it cannot
-- read the answer off the lab's own hosts. Returns { ok, value } (ok false on an error).
local function ask(name, ...)
  local found, f = pcall(function() return answer[name] end)
  if not found or type(f) ~= "function" then return { ok = false, value = "M." .. name .. " is not a function" } end
  local ok, value = pcall(f, ...)
  return { ok = ok, value = value }
end

-- A size for feedback, with the exact bytes when the rounded form would hide a difference.
local function shown(bytes)
  local text = lab.format.bytes(bytes)
  if bytes % lab.bytes("1 MiB") ~= 0 then text = text .. (" (%.0f bytes)"):format(bytes) end
  return text
end

-- What a student's function gave, for feedback: their own value, never the expected one.
local function said(call, got, truth)
  if not got.ok then return call .. " failed: " .. tostring(got.value) end
  local bytes = lab.size_of(got.value)
  if bytes == nil then
    return call .. " returned " .. (type(got.value) == "string" and ("%q"):format(got.value) or tostring(got.value))
      .. ", which is not a size (give bytes or a string such as \"1 GiB\")"
  end
  return ("%s returned %s, which is not right (%s)"):format(call, shown(bytes), bytes > truth and "too high" or "too low")
end

-- An 8 GiB host: web (4 GiB, Tools), batch (4 GiB, no Tools, 1 GiB reserved) and a hog
-- (6 GiB) that allocates 5 GiB, all of it active, at 64 MB/s.
local SPECS = {
  { "web", { memory = "4 GiB" } },
  { "batch", { memory = "4 GiB", tools = false, mem = { reservation = "1 GiB" } } },
  { "hog", { memory = "6 GiB" } },
}

-- vswp(configured, reservation) and cache_cap(configured) are asked before any host exists.
local vswp_said = {}
for i, spec in ipairs(SPECS) do
  local o = spec[2]
  vswp_said[i] = ask("vswp", lab.bytes(o.memory), o.mem and lab.bytes(o.mem.reservation) or 0)
end
local CACHE_VM = "4 GiB"
local cache_said = ask("cache_cap", lab.bytes(CACHE_VM))

local hosts = 0
local function scenario(compressible)
  hosts = hosts + 1
  local ds = lab.datastore{ name = "ssd" .. hosts, capacity = "200 GiB", kind = "ssd" }
  local h = lab.host{ name = "esx0" .. hosts, cpus = 8, memory = "8 GiB", datastores = { ds } }
  local vms = {}
  for _, spec in ipairs(SPECS) do
    local options = { name = h.name .. "-" .. spec[1], guest = "ubuntu-22.04" }
    for k, v in pairs(spec[2]) do options[k] = v end
    local v = h:create_vm(options)
    v:power_on()
    vms[spec[1]] = v
  end
  vms.web:run(lab.workload.memory{ size = "3 GiB", active = "1 GiB", rate = "256 MB/s" })
  vms.batch:run(lab.workload.memory{ size = "3 GiB", active = "512 MiB", rate = "256 MB/s", compressible = compressible })
  lab.run_for("2 min")
  vms.hog:run(lab.workload.memory{ size = "5 GiB", active = "5 GiB", rate = "64 MB/s" })
  lab.run_for("10 min")
  return { host = h, ds = ds, web = vms.web, batch = vms.batch, hog = vms.hog }
end

local typical = scenario(0.6)
local incompressible = scenario(0)

-- The state the host was in at `time`, from its log of state changes.
local function state_at(h, time)
  local state = "high"
  for _, e in ipairs(lab.events{ kind = "memory.state", subject = h }) do
    if e.time <= time then state = e.message:match("→ (%a+)") or state end
  end
  return state
end
-- The state in which the host or one of its VMs first logged an event of `kind` whose
-- message holds `text`.
local function first(h, kind, text)
  local when
  local subjects = { h }
  for _, vm in ipairs(h.vms) do subjects[#subjects + 1] = vm end
  for _, subject in ipairs(subjects) do
    for _, e in ipairs(lab.events{ kind = kind, subject = subject }) do
      if e.message:find(text, 1, true) and (when == nil or e.time < when) then when = e.time end
    end
  end
  return when and state_at(h, when) or "never"
end
local h = typical.host
local first_state = {
  large_pages_broken = first(h, "memory.share", "large pages are broken"),
  ballooning = first(h, "memory.balloon", "balloon target"),
  compression = first(h, "memory.swap", "compressing"),
  swapping = first(h, "memory.swap", "swapping"),
  blocking = first(h, "memory.block", "blocked:"),
}

check("which state starts each reclaimer", { number = "1", points = 3, reveal = "value",
  hint = "Reclaimers are added as free memory falls, from the cheapest for the guest to the costliest; "
    .. "see docs/memory.md (Host memory and its states)." }, function()
  local given = lab.answer(answer, "first_state")
  expect(type(given) == "table", "M.first_state is a table"):to_be_true()
  local right, total = 0, 0
  for _, what in ipairs({ "large_pages_broken", "ballooning", "compression", "swapping", "blocking" }) do
    total = total + 1
    local state = normal(given[what])
    if state == first_state[what] then
      right = right + 1
    else
      local why = state == nil and "no answer (nil)"
        or (STATES[state] and ("%q is not the state in which it first happened"):format(state))
        or (("%s is not one of \"high\", \"clear\", \"soft\", \"hard\", \"low\""):format(
          type(state) == "string" and ("%q"):format(state) or tostring(state)))
      lab.feedback(("M.first_state.%s: %s"):format(what, why))
      print(("%s first happened in the %s state; the submission said %s"):format(what, first_state[what], tostring(state)))
    end
  end
  partial(right / total)
  expect(right, "reclaimers placed right", "count"):to_equal(total)
end)

check("a VM without Tools, with a reservation", { number = "2", points = 2,
  hint = "What does the host need inside a guest to balloon it? And which part of a VM's memory does the host "
    .. "promise never to take?" }, function()
  local batch = typical.batch
  expect(size_of("batch_ballooned"), "M.batch_ballooned", "bytes"):to_equal(lab.series(batch, "memory.ballooned"):max())
  -- compared by hash (of the whole number of bytes), so this script does not say it
  expect(math.floor(size_of("batch_consumed_floor") + 0.5), "M.batch_consumed_floor", "bytes")
    :to_hash("sha256:02bfbb85ecfba2af2b10666975b823977df19167dcc946edfe22dd22feb8f547")
end)

-- slot(size) is compared by hash for each size: lab.hash("slot(<size>)=<bytes or nil>").
local SLOTS = {
  { 300, "sha256:1ad427044f0521361ca0f4b0aa21aa675487cb033f1d36b70177c3b2dfc28cef" },
  { 1024, "sha256:9a7d6c816f05b7c3b21ceeeb9ed3bc4dce748f4f4f34fb1a86e4e71d81cc2296" },
  { 1500, "sha256:bb1e55166575e3435a5bc115aff7f1aff0b9d7cb577a758b49aea6b8d21372c7" },
  { 2048, "sha256:e195364bc99474d0c5175dfd7f2715293b4893ff33514338dea4d6e7ab5a0e40" },
  { 2049, "sha256:b33722515b6a7b21987a01b8aa7c7e562b99b280c9b0ae084e204c532141e7aa" },
  { 4000, "sha256:4a0d6be7b64a46f373334b3dee03171182ba475017042b28d496ccb4bd3b9880" },
}

check("what compresses: slot(compressed_size)", { number = "3", points = 2, reveal = "value",
  hint = "How small must a page get for the cache to be worth it, and which slot sizes does the cache have? "
    .. "What happens to a page that does not shrink enough?" }, function()
  local slot = function_of("slot")
  local right, total = 0, #SLOTS + 1
  for _, case in ipairs(SLOTS) do
    local size, hash = case[1], case[2]
    local ok, got = pcall(slot, size)
    local bytes = ok and got ~= nil and got ~= false and lab.size_of(got) or nil
    local text = (ok and (got == nil or got == false)) and "nil" or (bytes and ("%.0f"):format(bytes)) or nil
    if text and lab.hash(("slot(%d)=%s"):format(size, text)) == hash then
      right = right + 1
    elseif not ok then
      lab.feedback(("slot(%d) failed: %s"):format(size, tostring(got)))
    elseif text == nil then
      lab.feedback(("slot(%d) returned %s, which is neither a slot size nor nil"):format(size,
        type(got) == "string" and ("%q"):format(got) or tostring(got)))
    else
      lab.feedback(("slot(%d) returned %s, which is not right"):format(size, text == "nil" and "nil" or (text .. " bytes")))
    end
  end
  -- the model's own account: which run swapped more of batch?
  local more = lab.series(incompressible.batch, "memory.swapped"):max() > lab.series(typical.batch, "memory.swapped"):max()
  local swap = normal(answer.swap_when_incompressible)
  if swap == (more and "more" or "less") then
    right = right + 1
  elseif swap == nil then
    lab.feedback("M.swap_when_incompressible: no answer (nil)")
  else
    lab.feedback(("M.swap_when_incompressible: %s is not right"):format(
      type(swap) == "string" and ("%q"):format(swap) or tostring(swap)))
  end
  partial(right / total)
  expect(right, "answers right", "count"):to_equal(total)
end)

-- The compression cache at its fullest: a 4 GiB VM without Tools, limited to 1 GiB, whose
-- data all compresses. With page sharing off, what it consumes beyond the guest memory it
-- maps is its compression cache.
local zip_host = lab.host{ name = "esx-zip", cpus = 8, memory = "32 GiB" }
zip_host.reclaim.tps.enabled = false
local zip = zip_host:create_vm{ name = "zip", memory = CACHE_VM, tools = false, mem = { limit = "1 GiB" } }
zip:power_on()
zip.guest:touch("3 GiB", { compressible = 1 })
lab.run_for("20 min")
local cache_full = zip.memory.consumed - zip.memory.granted

check("the compression cache's size", { number = "4", points = 1,
  hint = "Mem.MemZipMaxPct bounds each VM's compression cache; what is it a share of?" }, function()
  function_of("cache_cap")
  expect(cache_full, "the zip VM's compression cache (a lab sanity check)", "bytes"):to_be_at_least(1)
  if not cache_said.ok then lab.feedback("cache_cap(4 GiB) failed: " .. tostring(cache_said.value)) end
  expect(cache_said.ok and cache_said.value or nil, "cache_cap(4 GiB)", "bytes"):to_be_near(cache_full, 4096)
end)

check("swap files: vswp(configured, reservation)", { number = "5", points = 2, reveal = "value",
  hint = "At power-on ESXi creates a .vswp file for the memory it might have to swap. Which memory might that be?" },
  function()
  function_of("vswp")
  local right = 0
  for i, spec in ipairs(SPECS) do
    local vm = typical[spec[1]]
    local file
    for _, f in ipairs(typical.ds.files) do
      if f.name == vm.name .. ".vswp" then file = f end
    end
    expect(file ~= nil, vm.name .. ".vswp exists (a lab sanity check)"):to_be_true()
    local got = vswp_said[i]
    local bytes = got.ok and lab.size_of(got.value) or nil
    if bytes == file.size then
      right = right + 1
    else
      local o = spec[2]
      local call = ("vswp(%s, %s) for %s"):format(o.memory, o.mem and o.mem.reservation or "0", spec[1])
      lab.feedback(said(call, got, file.size))
      print(("%s: %s, the submission said %s"):format(file.name, lab.format.bytes(file.size), tostring(got.value)))
    end
  end
  partial(right / #SPECS)
  expect(right, ".vswp sizes answered right", "count"):to_equal(#SPECS)
end)

-- 6. What compression saves (esxtop ZSAVE): a 4 GiB VM without Tools, limited to 3 GiB,
-- writes 3.25 GiB of data that all compresses to 2 KB or less; page sharing is off.
local save_host = lab.host{ name = "esx-zsave", cpus = 8, memory = "32 GiB" }
save_host.reclaim.tps.enabled = false
local saver = save_host:create_vm{ name = "zsave", memory = "4 GiB", tools = false, mem = { limit = "3 GiB" } }
saver:power_on()
saver.guest:touch("3.25 GiB", { compressible = 1 })
lab.run_for("3 min")
local m = saver.memory
print(("zsave VM: ZIP %s, CACHEUSD %s, CACHESZ %s, ZSAVE %s, swapped %s"):format(lab.format.bytes(m.compressed),
  lab.format.bytes(m.compression_cache_used), lab.format.bytes(m.compression_cache_size),
  lab.format.bytes(m.compression_saved), lab.format.bytes(m.swapped)))

check("what compression saves (ZSAVE)", { number = "6", points = 2, reveal = "direction",
  hint = "The compression cache is machine memory too, and it counts against the VM's limit. How much must "
    .. "the host take away from the VM, and does the slot size change that?" }, function()
  expect(size_of("zsave"), "M.zsave", "bytes"):to_be_near(m.compression_saved, "1%")
end)
