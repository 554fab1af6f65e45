<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{{guide.title}}</title>
% if guide.description:
  <subtitle>{{guide.description}}</subtitle>
% end
  <id>{{atom_id('/')}}</id>
  <link href="{{absolute('/')}}"/>
  <link rel="self" href="{{absolute('/feed.atom')}}"/>
  <updated>{{updated.isoformat()}}</updated>
  <author><name>{{guide.title}}</name></author>
  <generator>guide.py</generator>
% for page in entries:
  <entry>
    <title>{{page.title}}</title>
    <id>{{atom_id(page.url)}}</id>
    <link href="{{absolute(page.url)}}"/>
%   if page.date:
    <published>{{page.date.isoformat()}}</published>
%   end
    <updated>{{page.changed.isoformat()}}</updated>
%   if page.meta.get('author'):
    <author><name>{{page.meta['author']}}</name></author>
%   end
%   for tag in page.tags:
    <category term="{{tag}}"/>
%   end
%   if page.summary:
    <summary>{{page.summary}}</summary>
%   end
    <content type="html">{{content(page)}}</content>
  </entry>
% end
</feed>
