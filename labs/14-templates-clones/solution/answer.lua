-- Lab 14 solution.
local M = {}

M.template_powers_on = false
M.linked_clone_of_a_plain_vm = false   -- linked clones are made from a template

M.full_clone_seconds = 12 * 1024 / 300  -- 12 GiB copied at 300 MiB/s ≈ 41 s

-- Every clone copies all the data, and clones deployed at once share the bandwidth.
function M.deploy_seconds(data, bandwidth, clones)
  return clones * data / bandwidth
end

M.ten_full_clones_space = "120 GiB"     -- each copies the 12 GiB of data (thin stays thin)
M.ten_linked_clones_space = 0           -- they share the template's disk; empty deltas

M.linked_space_after_writes = "10 GiB"  -- 1 GiB in each delta
M.template_space_after_writes = "12 GiB" -- never written

-- A full clone has its own copy of the data (rewrites take no more room); a linked
-- clone copies each block it rewrites into its delta once.
function M.clones_space(clones, linked, data, rewritten)
  if linked then return clones * math.min(rewritten, data) end
  return clones * data
end

M.clone_reservation = "2 GiB"
M.clone_vcpus = 2

return M
