% rebase('base')
<h1>{{words['blog']}}</h1>
<ol class="posts">
% for post in posts:
  <li>
    <a href="{{post.url}}">{{post.title}}</a>
    <time datetime="{{post.date.isoformat()}}">{{date(post.date)}}</time>
%   if post.summary:
    <p>{{post.summary}}</p>
%   end
  </li>
% end
</ol>
