% rebase('base')
<h1>{{heading}}</h1>
<p>{{message}}</p>
% if suggestions:
<p>Perhaps you were looking for:</p>
<ul class="suggestions">
%   for page in suggestions:
  <li><a href="{{page.url}}">{{page.title}}</a></li>
%   end
</ul>
% end
<p><a href="/">Go to the table of contents</a></p>
