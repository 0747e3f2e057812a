-- Lab 09: compression and swapping — the order in which ESXi reclaims memory as free
-- memory falls, a VM without a balloon driver, reservations, and the swap files.
local answer = lab.submission("answer.lua")
local bytes_of = lab.size_of

-- An 8 GiB host: web (4 GiB, Tools), batch (4 GiB, no Tools, 1 GiB reserved) and a hog
-- (6 GiB) that allocates 5 GiB, all of it active, at 64 MB/s.
local hosts = 0
local function scenario(compressible)
  hosts = hosts + 1
  local ds = lab.datastore{ name = "ssd" .. hosts, capacity = "200 GiB", kind = "ssd" }
  local h = lab.host{ name = "esx0" .. hosts, cpus = 8, memory = "8 GiB", datastores = { ds } }
  local vm = function(name, options)
    options.name = h.name .. "-" .. name
    options.guest = "ubuntu-22.04"
    local v = h:create_vm(options)
    v:power_on()
    return v
  end
  local web = vm("web", { memory = "4 GiB" })
  local batch = vm("batch", { memory = "4 GiB", tools = false, mem = { reservation = "1 GiB" } })
  local hog = vm("hog", { memory = "6 GiB" })
  web:run(lab.workload.memory{ size = "3 GiB", active = "1 GiB", rate = "256 MB/s" })
  batch:run(lab.workload.memory{ size = "3 GiB", active = "512 MiB", rate = "256 MB/s", compressible = compressible })
  lab.run_for("2 min")
  hog:run(lab.workload.memory{ size = "5 GiB", active = "5 GiB", rate = "64 MB/s" })
  lab.run_for("10 min")
  return { host = h, ds = ds, web = web, batch = batch, hog = hog }
end

local typical = scenario(0.6)
local incompressible = scenario(0)

-- The state the host was in when each kind of reclamation first happened, from the log.
local function state_at(h, time)
  local state = "high"
  for _, e in ipairs(lab.events{ kind = "memory.state", subject = h }) do
    if e.time <= time then state = e.message:match("→ (%a+)") end
  end
  return state
end
local function first(kind, h)
  local events = lab.events{ kind = kind }
  for _, e in ipairs(events) do
    if e.subject == tostring(h) or e.subject:find(h.name, 1, true) then return state_at(h, e.time) end
  end
  return "never"
end
local h = typical.host
local truth = {
  large_pages_broken = first("memory.share", h),
  ballooning = first("memory.balloon", h),
  compression = first("memory.swap", h),   -- pages chosen for swapping are compressed first
  swapping = first("memory.swap", h),
  blocking = first("memory.block", h),
}

check("which state starts each reclaimer", { number = "1", points = 3,
  hint = "high: nothing; clear: break large pages and share; soft: balloon; hard: compress and swap; low: also block." },
  function()
  expect(answer.first_state, "M.first_state"):to_be_set()
  local right, total = 0, 0
  for _, what in ipairs({ "large_pages_broken", "ballooning", "compression", "swapping", "blocking" }) do
    total = total + 1
    if answer.first_state[what] == truth[what] then
      right = right + 1
    else
      print(("%s first happened in the %s state; you said %s"):format(what, truth[what], tostring(answer.first_state[what])))
    end
  end
  partial(right / total)
  expect(right, "reclaimers placed right"):to_equal(total)
end)

check("a VM without Tools, with a reservation", { number = "2", points = 2,
  hint = "No driver, no balloon; and the host never reclaims memory below a VM's reservation." }, function()
  local batch = typical.batch
  expect(bytes_of(answer.batch_ballooned), "M.batch_ballooned as a size"):to_equal(lab.series(batch, "memory.ballooned"):max())
  local floor = lab.series(batch, "memory.consumed"):min() >= batch.memory.reservation and batch.memory.reservation or 0
  expect(bytes_of(answer.batch_consumed_floor), "the least batch's consumed memory can fall to", "bytes"):to_equal(floor)
end)

check("what compresses: slot(compressed_size)", { number = "3", points = 2,
  hint = "A page is kept compressed only if it shrinks to 2 KB or less; to 1 KB or less it takes a 1 KB slot." }, function()
  expect(answer.slot, "M.slot"):to_be_set()
  local cases = { [300] = 1024, [1024] = 1024, [1500] = 2048, [2048] = 2048, [2049] = nil, [4000] = nil }
  for size, slot in pairs(cases) do
    local ok, got = pcall(answer.slot, size)
    expect(ok and got or "error", ("slot(%d)"):format(size)):to_equal(slot)
  end
  local more = lab.series(incompressible.batch, "memory.swapped"):max() > lab.series(typical.batch, "memory.swapped"):max()
  expect(answer.swap_when_incompressible, "batch's host swap when its data does not compress"):to_equal(more and "more" or "less")
end)

check("the compression cache's size", { number = "4", points = 1,
  hint = "Mem.MemZipMaxPct caps each VM's compression cache at a share of its memory." }, function()
  expect(answer.cache_cap, "M.cache_cap"):to_be_set()
  local configured = typical.batch.memory.configured
  local ok, got = pcall(answer.cache_cap, configured)
  expect(ok and bytes_of(got) or nil, "cache cap of a 4 GiB VM", "bytes")
    :to_be_near(h.reclaim.compression.cache_percent / 100 * configured, 4096)
end)

check("swap files: vswp(configured, reservation)", { number = "5", points = 2,
  hint = "At power-on ESXi creates a .vswp file for the memory it might have to swap." }, function()
  expect(answer.vswp, "M.vswp"):to_be_set()
  local right, total = 0, 0
  for _, vm in ipairs({ typical.web, typical.batch, typical.hog }) do
    for _, f in ipairs(typical.ds.files) do
      if f.name == vm.name .. ".vswp" then
        total = total + 1
        local ok, got = pcall(answer.vswp, vm.memory.configured, vm.memory.reservation)
        if ok and bytes_of(got) == f.size then right = right + 1 else
          print(("%s: %s, you said %s"):format(f.name, lab.format.bytes(f.size), tostring(got)))
        end
      end
    end
  end
  partial(right / 3)
  expect(right, ".vswp sizes answered right"):to_equal(3)
end)
