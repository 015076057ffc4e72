-- readinglist.lua - a CSV reading list (RFC 4180): one row per paper.
-- dconv --to docs/lua/readinglist.lua -o list.csv digests/
Format = {
  description = "CSV reading list: date, title, url, arxiv id, votes, authors (Lua example)",
  extension = "csv",
  version = "1.0",
  options = {
    { key = "min-votes", type = "int", default = "0",
      help = "leave out papers with fewer votes (unknown votes count as 0)" },
  },
}

local function field(s)
  s = tostring(s or "")
  if s:find('[",\r\n]') then s = '"' .. s:gsub('"', '""') .. '"' end
  return s
end

function Writer(doc)
  local min = dconv.option("min-votes")
  dconv.write("date,title,url,arxiv_id,votes,authors\r\n")
  for _, digest in ipairs(doc.digests) do
    for _, p in ipairs(digest.papers) do
      if (p.votes or 0) >= min then
        dconv.write(field(digest.date), ",", field(p.title), ",", field(p.url), ",",
                    field(p.arxiv_id), ",", field(p.votes), ",",
                    field(table.concat(p.authors, "; ")), "\r\n")
      end
    end
  end
end
