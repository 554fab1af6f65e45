% rebase('base')
<h1>{{guide.title}}</h1>
% if guide.description:
<p class="lead">{{guide.description}}</p>
% end
% if home:
<div class="home">
{{!home.html}}
</div>
<h2 id="contents">{{words['contents']}}</h2>
% end
% include('contents', chapter=contents, numbers=numbers, depth=0, describe_all=describe_all)
% if posts:
<h2>{{words['from_the_blog']}}</h2>
<ul class="posts">
%   for post in posts:
  <li><a href="{{post.url}}">{{post.title}}</a> <time datetime="{{post.date.isoformat()}}">{{date(post.date)}}</time></li>
%   end
</ul>
<p><a href="/blog/">{{words['all_posts']}}</a></p>
% end
