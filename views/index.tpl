% rebase('base')
<h1>{{guide.title}}</h1>
% if guide.description:
<p class="lead">{{guide.description}}</p>
% end
% if home:
<div class="home">
{{!home.html}}
</div>
<h2>Contents</h2>
% end
<ol class="contents">
% for page in pages:
  <li>
    <a href="{{page.url}}">{{page.title}}</a>
%   if page.description:
    <p>{{page.description}}</p>
%   end
  </li>
% end
</ol>
% if posts:
<h2>From the blog</h2>
<ul class="posts">
%   for post in posts:
  <li><a href="{{post.url}}">{{post.title}}</a> <time datetime="{{post.date.isoformat()}}">{{post.date.strftime('%d %B %Y').lstrip('0')}}</time></li>
%   end
</ul>
<p><a href="/blog/">All posts</a></p>
% end
