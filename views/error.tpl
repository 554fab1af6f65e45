% rebase('base')
<h1>{{heading}}</h1>
<p>{{message}}</p>
% if suggestions:
<p>{{words['perhaps']}}</p>
<ul class="suggestions">
%   for page in suggestions:
  <li><a href="{{page.url}}">{{page.title}}</a></li>
%   end
</ul>
% end
<p><a href="/">{{words['go_to_contents']}}</a></p>
