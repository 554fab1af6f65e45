<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
% for url in urls:
  <url>
    <loc>{{absolute(url)}}</loc>
%   if url in updated:
    <lastmod>{{updated[url].date().isoformat()}}</lastmod>
%   end
  </url>
% end
</urlset>
