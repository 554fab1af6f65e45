%# Numbers are the guide's own (digits and dots), so they are written as they are.
% rebase('base')
<h1>{{heading}}</h1>
% if description:
<p class="lead">{{description}}</p>
% end
% if parts:
<p>{{words['too_long']}}</p>
<ol class="contents">
%   for url, part_title, count in parts:
  <li><a href="{{url}}">{{part_title}}</a> <span class="title-number">({{words['one_page'] if count == 1 else words['n_pages'].format(count=count)}})</span></li>
%   end
</ol>
% else:
<nav class="page-toc" aria-label="{{words['pages']}}">
<h2>{{words['pages']}}</h2>
<ol class="all-toc">
%   for page, html, number in sections:
  <li><a href="#{{page.slug}}">{{!'<span class="title-number">%s</span> ' % number if number else ''}}{{page.title}}</a></li>
%   end
</ol>
</nav>
%   for page, html, number in sections:
<section class="all-section" id="{{page.slug}}" aria-labelledby="{{page.slug}}--title">
<h2 id="{{page.slug}}--title">{{!'<span class="title-number">%s</span> ' % number if number else ''}}{{page.title}}</h2>
{{!html}}
</section>
%   end
% end
