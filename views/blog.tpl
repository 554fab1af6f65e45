% rebase('base')
<h1>Blog</h1>
<ol class="posts">
% for post in posts:
  <li>
    <a href="{{post.url}}">{{post.title}}</a>
    <time datetime="{{post.date.isoformat()}}">{{post.date.strftime('%d %B %Y').lstrip('0')}}</time>
%   if post.summary:
    <p>{{post.summary}}</p>
%   end
  </li>
% end
</ol>
