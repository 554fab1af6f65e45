% rebase('base')
<h1>{{guide.title}}</h1>
% if guide.description:
<p class="lead">{{guide.description}}</p>
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
