-- Instructor-only: vswp, cache_cap and slot on VMs and sizes the public checks do not try.
-- Never shipped to students; `hyperlab pack` puts it only in the autograder. Runs after
-- lab.lua in the same world: its hosts, datastore and VMs are named "h-...".
local answer = lab.submission("answer.lua")

-- Calls a function of the submission before the VMs it is about exist.
local function ask(name, ...)
  local found, f = pcall(function() return answer[name] end)
  if not found or type(f) ~= "function" then return { ok = false, value = "M." .. name .. " is not a function" } end
  local ok, value = pcall(f, ...)
  return { ok = ok, value = value }
end

-- vswp: other sizes and reservations, a VM reserved in full, one with half reserved.
local SWAP_VMS = {
  { "6 GiB", "2 GiB" }, { "16 GiB", 0 }, { "2 GiB", "2 GiB" }, { "3 GiB", "512 MiB" }, { "8 GiB", "4 GiB" },
}
-- cache_cap: VMs of other sizes.
local CACHE_VMS = { "2 GiB", "8 GiB" }

local vswp_said, cache_said = {}, {}
for i, c in ipairs(SWAP_VMS) do vswp_said[i] = ask("vswp", lab.bytes(c[1]), lab.bytes(c[2])) end
for i, size in ipairs(CACHE_VMS) do cache_said[i] = ask("cache_cap", lab.bytes(size)) end

-- The .vswp files, as the datastore lists them.
local ds = lab.datastore{ name = "h-ssd", capacity = "200 GiB", kind = "ssd" }
local swap_host = lab.host{ name = "h-esx-swap", cpus = 8, memory = "64 GiB", datastores = { ds } }
local swap_files = {}
for i, c in ipairs(SWAP_VMS) do
  local vm = swap_host:create_vm{ name = "h-swap" .. i, memory = c[1], mem = { reservation = c[2] } }
  vm:power_on()
  for _, f in ipairs(ds.files) do
    if f.name == vm.name .. ".vswp" then swap_files[i] = f.size end
  end
end

-- The cache at its fullest, as in the public check: no Tools, a limit, data that all
-- compresses, page sharing off; the cache is what the VM consumes beyond what it maps.
local zip_host = lab.host{ name = "h-esx-zip", cpus = 8, memory = "64 GiB" }
zip_host.reclaim.tps.enabled = false
local zips = {}
for i, size in ipairs(CACHE_VMS) do
  local configured = lab.bytes(size)
  local vm = zip_host:create_vm{ name = "h-zip" .. i, memory = size, tools = false, mem = { limit = configured // 4 } }
  vm:power_on()
  vm.guest:touch(configured * 3 // 4, { compressible = 1 })
  zips[i] = vm
end
lab.run_for("30 min")

check("vswp(configured, reservation) on unseen VMs", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "vswp gave a wrong .vswp size (or no size) for a VM the public checks do not try." }, function()
  lab.answer(answer, "vswp")
  local right = 0
  for i, c in ipairs(SWAP_VMS) do
    local got = vswp_said[i]
    local bytes = got.ok and lab.size_of(got.value) or nil
    if bytes == swap_files[i] then
      right = right + 1
    else
      print(("H1 vswp(%s, %s): the file is %s, the submission said %s"):format(c[1], tostring(c[2]),
        lab.format.bytes(swap_files[i]), tostring(got.value)))
    end
  end
  partial(right / #SWAP_VMS)
  expect(right, "unseen VMs answered right", "count"):to_equal(#SWAP_VMS)
end)

check("cache_cap(configured) on unseen VMs", { number = "H2", points = 1, visibility = "after_due_date",
  hide_errors = "cache_cap gave a wrong compression-cache limit (or no size) for a VM size the public check does not try." },
  function()
  lab.answer(answer, "cache_cap")
  local right = 0
  for i, size in ipairs(CACHE_VMS) do
    local full = zips[i].memory.consumed - zips[i].memory.granted
    local got = cache_said[i]
    local bytes = got.ok and lab.size_of(got.value) or nil
    if bytes and math.abs(bytes - full) <= 4096 then
      right = right + 1
    else
      print(("H2 cache_cap(%s): the cache filled to %s, the submission said %s"):format(size, lab.format.bytes(full),
        tostring(got.value)))
    end
  end
  partial(right / #CACHE_VMS)
  expect(right, "unseen VM sizes answered right", "count"):to_equal(#CACHE_VMS)
end)

-- slot(size) at the edges the public check does not try (instructor-only, so plain values).
local SLOTS = { { 1, 1024 }, { 1023, 1024 }, { 1025, 2048 }, { 2047, 2048 }, { 2050, nil }, { 4096, nil } }

check("slot(size) on unseen sizes", { number = "H3", points = 1, visibility = "after_due_date",
  hide_errors = "slot gave a wrong slot (or kept a page that should be swapped) for a size the public check does not try." },
  function()
  local slot = lab.answer(answer, "slot")
  local right = 0
  for _, c in ipairs(SLOTS) do
    local ok, got = pcall(slot, c[1])
    local bytes = ok and got ~= nil and got ~= false and lab.size_of(got) or nil
    if ok and ((c[2] == nil and (got == nil or got == false)) or (c[2] ~= nil and bytes == c[2])) then
      right = right + 1
    else
      print(("H3 slot(%d): expected %s, the submission said %s"):format(c[1], tostring(c[2]), tostring(got)))
    end
  end
  partial(right / #SLOTS)
  expect(right, "unseen sizes answered right", "count"):to_equal(#SLOTS)
end)
