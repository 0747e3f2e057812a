-- Lab 14: templates and clones. Fill in every answer, then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
-- Sizes can be numbers of bytes or strings such as "1.5 GiB" or "512 MiB"; durations
-- numbers of seconds or strings such as "90 s" or "2 min" (KB/MB/GB are binary, as in
-- vSphere). Booleans are true or false.
local M = {}

-- A web appliance (2 vCPUs, 4 GiB with 2 GiB reserved, high shares, a 40 GiB thin disk
-- holding 12 GiB) on a SAN datastore that writes 300 MB/s is turned into a template.

-- 1. Can the template be powered on (true/false)? Could a linked clone have been made
--    from the VM before it became a template?
M.template_powers_on = nil
M.linked_clone_of_a_plain_vm = nil

-- 2.1 Time to deploy one full clone:
M.full_clone_seconds = nil

-- 2.2 Any template: it holds `data` bytes on a datastore that writes `bandwidth` bytes
--     per second; `clones` full clones are deployed from it at the same time. How long
--     until they can all power on? Return seconds or a duration string.
function M.deploy_seconds(data, bandwidth, clones)
  return nil
end

-- 3. Disk space of ten full clones, and of ten linked clones: what the clones' own disk
--    files take on the datastore (vm.disks[1].used), not the template's files.
M.ten_full_clones_space = nil
M.ten_linked_clones_space = nil

-- 4. Each linked clone rewrites 1 GiB of the data it shares with the template.
M.linked_space_after_writes = nil    -- the ten linked clones' own disk files
M.template_space_after_writes = nil  -- the template's disk

-- 4.3 Any thin template holding `data` bytes: `clones` clones (linked when `linked` is
--     true, full otherwise) each rewrite `rewritten` bytes of the data they got from
--     it. What do the clones' own disk files take then, all together? Return bytes or
--     a size string.
function M.clones_space(clones, linked, data, rewritten)
  return nil
end

-- 5. A clone's memory reservation and vCPUs:
M.clone_reservation = nil
M.clone_vcpus = nil

return M
