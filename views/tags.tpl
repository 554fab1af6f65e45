% rebase('base')
% if tag is None:
<h1>{{words['tags']}}</h1>
<ul class="tags-index">
%   for url, (name, tagged) in tags.items():
  <li><a href="{{url}}">{{name}}</a> <span class="tag-count">({{len(tagged)}})</span></li>
%   end
</ul>
% else:
<h1>{{words['tagged'].format(tag=tag)}}</h1>
<ul class="tagged-pages">
%   for page in pages:
  <li><a href="{{page.url}}">{{page.title}}</a>
%     if page.summary:
    <p>{{page.summary}}</p>
%     end
  </li>
%   end
</ul>
<p><a href="/tags/">{{words['all_tags']}}</a></p>
% end
